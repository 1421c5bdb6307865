import { byId, el } from './dom.js';
import { Sparkline } from './sparkline.js';
import type { Stats } from './wire.js';

/** Seconds drawn: the last two minutes. */
const WINDOW = 120;

/** The Live section: IDs/s, requests/s, p99 latency and refusals from GET /v1/stats. */
export class LivePanel {
  readonly #ids = new Sparkline(byId('chart-ids'), 'IDs/s');
  readonly #requests = new Sparkline(byId('chart-requests'), 'requests/s');
  readonly #p99 = new Sparkline(byId('chart-p99'), 'p99 latency');
  readonly #refusals = new Sparkline(byId('chart-refusals'), 'refusals/s');

  render(stats: Stats): void {
    const samples = stats.samples.slice(-WINDOW);
    const last = samples.at(-1);
    this.#ids.draw(samples.map((s) => s.ids), String(last?.ids ?? 0));
    this.#requests.draw(samples.map((s) => s.requests), String(last?.requests ?? 0));
    this.#p99.draw(samples.map((s) => s.p99Ms), last?.p99Ms == null ? '–' : `${last.p99Ms.toFixed(2)} ms`);
    const refused = samples.map((s) => Object.values(s.refusals).reduce<number>((a, b) => a + (b ?? 0), 0));
    this.#refusals.draw(refused, String(refused.at(-1) ?? 0));

    const byReason = new Map<string, number>();
    for (const sample of samples) for (const [reason, n] of Object.entries(sample.refusals)) byReason.set(reason, (byReason.get(reason) ?? 0) + (n ?? 0));
    const list = byId('refusal-reasons');
    list.replaceChildren(
      ...(byReason.size === 0 ? [el('li', 'no refusals in the last two minutes')] : [...byReason].map(([reason, n]) => el('li', `${reason}: ${n}`))),
    );
  }
}
