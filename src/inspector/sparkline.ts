const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 48;

/**
 * A small line chart of one series, drawn as SVG in `figure`: the polyline, and a caption with
 * the latest value. `data-total` on the figure is the sum over the window, `data-latest` the last.
 */
export class Sparkline {
  readonly #figure: HTMLElement;
  readonly #line: SVGPolylineElement;
  readonly #value: HTMLElement;

  constructor(figure: HTMLElement, label: string) {
    this.#figure = figure;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('aria-hidden', 'true');
    this.#line = document.createElementNS(SVG, 'polyline');
    svg.append(this.#line);
    const caption = document.createElement('figcaption');
    caption.textContent = `${label}: `;
    this.#value = document.createElement('output');
    this.#value.textContent = '–';
    caption.append(this.#value);
    figure.replaceChildren(svg, caption);
  }

  /** Draws `values` (oldest first; null for none), `text` as the current value. */
  draw(values: readonly (number | null)[], text: string): void {
    const max = Math.max(1, ...values.map((v) => v ?? 0));
    const step = values.length > 1 ? WIDTH / (values.length - 1) : WIDTH;
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(HEIGHT - 2 - ((v ?? 0) / max) * (HEIGHT - 4)).toFixed(1)}`);
    this.#line.setAttribute('points', points.join(' '));
    this.#value.textContent = text;
    this.#figure.dataset.total = String(values.reduce<number>((sum, v) => sum + (v ?? 0), 0));
    this.#figure.dataset.latest = String(values.at(-1) ?? 0);
  }
}
