/**
 * A horizontal bar chart as a standalone SVG document, with no dependencies: one bar per row,
 * rows optionally under group headings, a colour per series with a legend, dashed reference lines
 * (a layout's limit, a target) and an axis with ticks. The benchmarks draw their results with it
 * into docs/img/.
 *
 * Readable on GitHub's light and dark themes: the background is transparent, text and lines take
 * a dark or light grey by `prefers-color-scheme`, and the bar colours are mid-tones that hold on
 * both. Screen readers get the `<title>` and `<desc>`; each bar has its own `<title>`.
 */
import { type ScaleKind, createScale } from './Scale.js';

export interface Bar {
  readonly label: string;
  /** Absent or not finite: the row shows no bar, only its note (a library that threw, say). */
  readonly value?: number;
  /** Bars of one series share a colour and a legend entry. */
  readonly series: string;
  /** Printed after the value: `34 % duplicates`. */
  readonly note?: string;
  /** A heading printed above the first bar of each run of bars with the same group. */
  readonly group?: string;
}

export interface ReferenceLine {
  readonly value: number;
  readonly label: string;
}

export interface BarChartSpec {
  /** Prefix for the element ids that `aria-labelledby` points at. */
  readonly id: string;
  readonly title: string;
  /** What was measured, where and when: the chart's `<desc>`, also printed under the title. */
  readonly description: string;
  readonly axisLabel: string;
  readonly scale: ScaleKind;
  readonly format: (value: number) => string;
  readonly bars: readonly Bar[];
  readonly lines?: readonly ReferenceLine[];
  /** Series in legend and colour order, so several charts colour one series alike; default: order of appearance. */
  readonly series?: readonly string[];
}

const WIDTH = 820;
const ROW = 20;
const BAR_HEIGHT = 14;
const GROUP_HEADING = 22;
const CHAR_WIDTH = 6.6;
const PALETTE = ['#4e79a7', '#e8833a', '#59a14f', '#b07aa1', '#9c755f', '#76b7b2'] as const;

const STYLE = [
  'text{font:12px -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;fill:#1f2328}',
  '.title{font-size:15px;font-weight:600}',
  '.group{font-weight:600}',
  '.muted{fill:#59636e}',
  '.grid{stroke:#d1d9e0;stroke-width:1}',
  '.axis{stroke:#59636e;stroke-width:1}',
  '.line{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:5 4}',
  '.line-label{fill:#cf222e}',
  // A halo in the page's colour keeps value text readable where it crosses a reference line.
  '.value{paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}',
  '@media (prefers-color-scheme:dark){text{fill:#e6edf3}.muted{fill:#9198a1}.grid{stroke:#3d444d}.axis{stroke:#9198a1}.line{stroke:#ff7b72}.line-label{fill:#ff7b72}.value{stroke:#0d1117}}',
].join('');

/** Text safe inside SVG elements and attribute values. */
export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** What is printed after a bar: its value and note. */
function valueTextOf(spec: BarChartSpec, bar: Bar): string {
  const hasValue = bar.value !== undefined && Number.isFinite(bar.value);
  return [hasValue ? spec.format(bar.value!) : undefined, bar.note].filter((part) => part !== undefined).join(', ');
}

/**
 * The chart's geometry, exported so a test can check where a value must land: labels on the left,
 * the plot, and room on the right for the longest value text after a full-length bar.
 */
export function plotArea(spec: BarChartSpec): { readonly left: number; readonly width: number } {
  const longest = Math.max(0, ...spec.bars.map((bar) => bar.label.length));
  const left = Math.min(320, Math.ceil(longest * CHAR_WIDTH) + 16);
  // A row without a bar prints its note inside the plot, so only bars need room on the right.
  const drawn = spec.bars.filter((bar) => bar.value !== undefined && Number.isFinite(bar.value));
  const longestValue = Math.max(0, ...drawn.map((bar) => valueTextOf(spec, bar).length));
  const right = Math.min(320, Math.max(80, Math.ceil(longestValue * CHAR_WIDTH) + 14));
  return { left, width: WIDTH - left - right };
}

export function barChart(spec: BarChartSpec): string {
  const lines = spec.lines ?? [];
  const values = spec.bars.flatMap((bar) => (bar.value !== undefined && Number.isFinite(bar.value) ? [bar.value] : []));
  const scale = createScale(spec.scale, [...values, ...lines.map((line) => line.value)]);
  const { left, width } = plotArea(spec);
  const xOf = (value: number): number => left + scale.fraction(value) * width;
  const present = new Set(spec.bars.map((bar) => bar.series));
  const series = [...new Set([...(spec.series ?? []), ...present])];
  const colourOf = (name: string): string => PALETTE[series.indexOf(name) % PALETTE.length] ?? PALETTE[0];

  const body: string[] = [];
  // Title, description, legend.
  body.push(`<text class="title" x="8" y="20">${escapeXml(spec.title)}</text>`);
  const descriptionLines = wrap(spec.description, Math.floor((WIDTH - 16) / CHAR_WIDTH));
  descriptionLines.forEach((line, i) => body.push(`<text class="muted" x="8" y="${38 + i * 15}">${escapeXml(line)}</text>`));
  let y = 38 + descriptionLines.length * 15 + 6;
  let legendX = 8;
  for (const name of series) {
    if (!present.has(name)) continue;
    const entryWidth = 16 + name.length * CHAR_WIDTH + 18;
    if (legendX > 8 && legendX + entryWidth > WIDTH) {
      legendX = 8;
      y += 18;
    }
    body.push(`<rect x="${px(legendX)}" y="${y - 10}" width="12" height="12" fill="${colourOf(name)}"/>`);
    body.push(`<text x="${px(legendX + 16)}" y="${y}">${escapeXml(name)}</text>`);
    legendX += entryWidth;
  }
  y += 10 + lines.length * 14;

  // Reference line labels sit above the plot, one row each so they cannot overlap.
  const plotTop = y + 6;
  const rows: string[] = [];
  let group: string | undefined;
  let rowY = plotTop;
  for (const bar of spec.bars) {
    if (bar.group !== undefined && bar.group !== group) {
      group = bar.group;
      rowY += GROUP_HEADING;
      rows.push(`<text class="group" x="8" y="${px(rowY - 6)}">${escapeXml(bar.group)}</text>`);
    }
    const label = `<text x="${left - 8}" y="${px(rowY + BAR_HEIGHT - 3)}" text-anchor="end">${escapeXml(bar.label)}</text>`;
    const hasValue = bar.value !== undefined && Number.isFinite(bar.value);
    const valueText = valueTextOf(spec, bar);
    if (hasValue) {
      const end = xOf(bar.value!);
      rows.push(
        label,
        `<rect class="bar" data-value="${bar.value}" x="${left}" y="${px(rowY)}" width="${px(end - left)}" height="${BAR_HEIGHT}" fill="${colourOf(bar.series)}">` +
          `<title>${escapeXml(`${bar.label}: ${valueText}`)}</title></rect>`,
        `<text class="value" x="${px(end + 6)}" y="${px(rowY + BAR_HEIGHT - 3)}">${escapeXml(valueText)}</text>`,
      );
    } else {
      rows.push(label, `<text class="muted value" x="${left + 6}" y="${px(rowY + BAR_HEIGHT - 3)}">${escapeXml(valueText || 'no value')}</text>`);
    }
    rowY += ROW;
  }
  const plotBottom = rowY + 4;

  // Grid and axis under the bars, ticks under the axis.
  for (const tick of scale.ticks) {
    const x = px(xOf(tick));
    body.push(`<line class="grid" x1="${x}" y1="${plotTop}" x2="${x}" y2="${plotBottom}"/>`);
    body.push(`<text class="muted" x="${x}" y="${plotBottom + 16}" text-anchor="middle">${escapeXml(spec.format(tick))}</text>`);
  }
  body.push(`<line class="axis" x1="${left}" y1="${plotBottom}" x2="${left + width}" y2="${plotBottom}"/>`);
  body.push(`<line class="axis" x1="${left}" y1="${plotTop}" x2="${left}" y2="${plotBottom}"/>`);
  lines.forEach((line, i) => {
    const x = px(xOf(line.value));
    const labelY = plotTop - 6 - (lines.length - 1 - i) * 14;
    body.push(`<line class="line" data-value="${line.value}" x1="${x}" y1="${labelY + 3}" x2="${x}" y2="${plotBottom}"/>`);
    const anchor = xOf(line.value) > left + width * 0.6 ? 'end' : 'start';
    const offset = anchor === 'end' ? -4 : 4;
    body.push(`<text class="line-label" x="${px(xOf(line.value) + offset)}" y="${labelY}" text-anchor="${anchor}">${escapeXml(line.label)}</text>`);
  });
  body.push(...rows);
  const axisY = plotBottom + 34;
  body.push(`<text class="muted" x="${px(left + width / 2)}" y="${axisY}" text-anchor="middle">${escapeXml(spec.axisLabel)}</text>`);

  const height = axisY + 10;
  const id = escapeXml(spec.id);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(spec.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(spec.description)}</desc>`,
    `<style>${STYLE}</style>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
