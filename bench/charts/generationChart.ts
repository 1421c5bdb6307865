/**
 * The in-process chart, drawn from the run's JSON record: IDs per second of each Flakery mode and
 * each peer library on a log axis (the figures span 0.1 M to 65 M), with the layouts' limits drawn
 * in: 4.096 M/s for the 12-bit sequences (snowflake, overt53, uuidv7), 65.536 M/s for overt's 16.
 */
import { median } from '../measure.js';
import type { Chart, RunContext } from '../RunOutput.js';
import { contextLine } from '../RunOutput.js';
import { barChart } from '../svg/BarChart.js';

/** One contender as bench/results/generation.json records it. */
export interface GenerationEntry {
  readonly name: string;
  readonly bits?: 64 | 128;
  /** Set for Flakery's modes: the mode's key and its layout's limit. */
  readonly mode?: string;
  readonly limitPerSecond?: number;
  readonly targetPercent?: number;
  /** Set for peers: the Flakery mode they are compared with. */
  readonly reference?: string;
  readonly rates: readonly number[];
  readonly failure?: { readonly stage: string; readonly made: number; readonly message: string };
  readonly verdict?: { readonly made: number; readonly duplicates: number; readonly backwards: number; readonly error?: string };
}

export interface GenerationRecord {
  readonly context: RunContext;
  readonly settings: { readonly warmupMs: number; readonly durationMs: number; readonly repeats: number; readonly checkCount: number };
  readonly results: readonly GenerationEntry[];
}

/** `2.11 M`, `976 k`: three significant digits. */
export function formatMillions(perSecond: number): string {
  if (perSecond >= 1e6) return `${Number((perSecond / 1e6).toPrecision(3))} M`;
  if (perSecond >= 1e3) return `${Number((perSecond / 1e3).toPrecision(3))} k`;
  return String(Number(perSecond.toPrecision(3)));
}

function limitLabel(limit: number): string {
  const layouts = limit === 65_536_000 ? 'overt, 16-bit sequence' : 'snowflake, overt53, uuidv7: 12-bit sequence';
  return `limit ${limit / 1e6} M/s (${layouts})`;
}

function barOf(entry: GenerationEntry): { label: string; series: string; value?: number; note?: string } {
  const series = entry.mode === undefined ? 'peer library' : 'Flakery';
  const notes: string[] = [];
  const verdict = entry.verdict;
  if (verdict !== undefined && verdict.duplicates > 0) notes.push(`${((verdict.duplicates / verdict.made) * 100).toFixed(1)} % repeats`);
  if (entry.failure !== undefined || entry.rates.length === 0) {
    const message = (entry.failure?.message ?? 'no timed run').split('\n')[0] ?? '';
    notes.unshift(`threw: "${message.length > 40 ? `${message.slice(0, 39)}…` : message}"`);
    return { label: entry.name, series, note: notes.join(', ') };
  }
  return { label: entry.name, series, value: median(entry.rates), ...(notes.length === 0 ? {} : { note: notes.join(', ') }) };
}

export function generationCharts(record: GenerationRecord): Chart[] {
  const { results, settings, context } = record;
  const limits = [...new Set(results.flatMap((entry) => (entry.limitPerSecond === undefined ? [] : [entry.limitPerSecond])))].sort((a, b) => a - b);
  const svg = barChart({
    id: 'bench-generation',
    title: 'IDs per second in one Node.js process, Flakery and peer libraries',
    description:
      `Median of ${settings.repeats} timed runs of ${settings.durationMs} ms each, round-robin; log axis. Repeats: share of ` +
      `${settings.checkCount.toLocaleString('en-US')} back-to-back IDs equal to an earlier one. ${contextLine(context)}`,
    axisLabel: 'IDs per second (log scale)',
    scale: 'log',
    format: formatMillions,
    bars: results.map(barOf),
    lines: limits.map((value) => ({ value, label: limitLabel(value) })),
  });
  return [{ file: 'bench-generation.svg', svg }];
}
