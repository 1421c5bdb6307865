/**
 * Where a value lands along a chart's axis, and the ticks to print under it. Linear axes start at
 * 0 and end on a round number; log axes (for figures that span decades, like 0.3 M and 65 M IDs/s)
 * run from a power of ten to a power of ten.
 */
export interface Scale {
  /** 0 at the axis start, 1 at its end; values outside clamp to the ends. */
  fraction(value: number): number;
  readonly ticks: readonly number[];
}

export type ScaleKind = 'linear' | 'log';

export function createScale(kind: ScaleKind, values: readonly number[]): Scale {
  const finite = values.filter((value) => Number.isFinite(value) && value > 0);
  return kind === 'log' ? logScale(finite) : linearScale(finite);
}

function linearScale(values: readonly number[]): Scale {
  const max = values.length === 0 ? 1 : Math.max(...values);
  const step = niceStep(max / 5);
  const end = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let tick = 0; tick <= end + step / 2; tick += step) ticks.push(tick);
  return { fraction: (value) => clamp(value / end), ticks };
}

/** The round step (1, 2 or 5 × 10^k) at or above `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rough) return factor * power;
  return 10 * power;
}

function logScale(values: readonly number[]): Scale {
  const low = values.length === 0 ? 1 : Math.min(...values);
  const high = values.length === 0 ? 10 : Math.max(...values);
  const first = Math.floor(Math.log10(low));
  const last = Math.max(first + 1, Math.ceil(Math.log10(high)));
  const decades = last - first;
  const ticks: number[] = [];
  for (let power = first; power <= last; power++) {
    // 1, 2 and 5 per decade while they fit; powers of ten alone on wide axes.
    for (const factor of decades <= 3 ? [1, 2, 5] : [1]) {
      const tick = factor * 10 ** power;
      if (tick <= 10 ** last) ticks.push(tick);
    }
  }
  return { fraction: (value) => clamp((Math.log10(value) - first) / decades), ticks };
}

function clamp(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
}
