import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import type { FlakeryMode, FlakeryModeKey, PartialRun } from './Contender.js';
import { type Verdict, median } from './measure.js';

/** What the benchmark learned about one contender. */
export interface Result {
  readonly name: string;
  readonly bits?: 64 | 128;
  /** Set for Flakery's own modes. */
  readonly mode?: FlakeryMode;
  /** Set for peers: the Flakery mode they are compared with. */
  readonly reference?: FlakeryModeKey;
  /** IDs per second, one per timed run. */
  readonly rates: readonly number[];
  /** Why it has no rate: it failed to construct, or threw while warming up or being timed. */
  readonly failure?: { readonly stage: string; readonly error: PartialRun };
  /** The back-to-back check; absent when it could not be constructed. */
  readonly verdict?: Verdict;
}

const integer = new Intl.NumberFormat('en-US');

/** The 1-minute load average: other work on the machine shows here, and skews every number. */
export function loadNow(): string {
  return (loadavg()[0] ?? 0).toFixed(2);
}

export function machineLines(loadAtStart: string): string[] {
  const cores = cpus();
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return [
    `Machine: ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores (${availableParallelism()} available), ${gib} GiB`,
    `Node ${process.version} on ${type()} ${release()} ${process.arch}; 1-minute load average ${loadAtStart} at start, ${loadNow()} at end`,
  ];
}

function millions(rate: number): string {
  return `${(rate / 1e6).toFixed(2)} M`;
}

/** Two decimals, or two significant digits below 0.1 (0.0067, not 0.01). */
function formatRatio(value: number): string {
  return value >= 0.1 ? value.toFixed(2) : value.toPrecision(2);
}

/** Fastest run minus slowest, as a share of the median: how far one number can be trusted. */
function spread(rates: readonly number[], median: number): string {
  return `${(((Math.max(...rates) - Math.min(...rates)) / median) * 100).toFixed(1)} %`;
}

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)} %`;
}

/** One Markdown table: header, separator, rows. */
function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly number[]): string {
  const separator = header.map((_, i) => (rightAligned.includes(i) ? '---:' : '---'));
  return [header, separator, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function rateOf(result: Result): number | undefined {
  return result.failure === undefined && result.rates.length > 0 ? median(result.rates) : undefined;
}

/** Flakery's modes against their layout's ceiling (2^sequenceBits IDs per ms). */
export function limitTable(results: readonly Result[]): string {
  const rows = results.flatMap((result) => {
    const mode = result.mode;
    if (mode === undefined) return [];
    const rate = rateOf(result);
    const reached = rate === undefined ? undefined : (rate / mode.limitPerSecond) * 100;
    const target = mode.targetPercent;
    const met = reached === undefined || target === undefined ? '—' : reached >= target ? 'yes' : '**no**';
    return [
      [
        result.name,
        rate === undefined ? 'failed' : millions(rate),
        millions(mode.limitPerSecond),
        reached === undefined ? '—' : `${reached.toFixed(1)} %`,
        target === undefined ? '—' : `≥ ${target} %`,
        met,
      ],
    ];
  });
  return table(['Flakery mode', 'IDs/s', 'layout limit', 'of limit', 'target', 'met'], rows, [1, 2, 3, 4]);
}

/** Every contender: rate, ratio to its Flakery reference, and the back-to-back check. */
export function comparisonTable(results: readonly Result[], checkCount: number): string {
  const referenceRates = new Map<FlakeryModeKey, { name: string; rate: number | undefined }>();
  for (const result of results) {
    if (result.mode !== undefined) referenceRates.set(result.mode.key, { name: result.name, rate: rateOf(result) });
  }
  const rows = results.map((result) => {
    const rate = rateOf(result);
    const reference = result.reference === undefined ? undefined : referenceRates.get(result.reference);
    const ratio =
      result.reference === undefined
        ? '—'
        : reference === undefined || rate === undefined || reference.rate === undefined
          ? 'n/a'
          : `${formatRatio(rate / reference.rate)}× ${reference.name.replace(/^Flakery /, '')}`;
    return [
      result.name,
      result.bits === undefined ? '?' : String(result.bits),
      rate === undefined ? 'threw' : millions(rate),
      rate === undefined ? '—' : spread(result.rates, rate),
      ratio,
      duplicatesCell(result.verdict, checkCount),
      result.verdict === undefined ? '—' : integer.format(result.verdict.backwards),
      noteOf(result, checkCount),
    ];
  });
  return table(
    ['ID source', 'bits', 'IDs/s (median)', 'spread', 'peer ÷ Flakery', `duplicates in ${short(checkCount)}`, 'went backwards', 'notes'],
    rows,
    [2, 3, 4, 5, 6],
  );
}

function duplicatesCell(verdict: Verdict | undefined, checkCount: number): string {
  if (verdict === undefined) return '—';
  const count = integer.format(verdict.duplicates);
  const base = verdict.duplicates === 0 ? count : `${count} (${percent(verdict.duplicates, verdict.made)})`;
  return verdict.made < checkCount ? `${base} of ${integer.format(verdict.made)}` : base;
}

function noteOf(result: Result, checkCount: number): string {
  const notes: string[] = [];
  if (result.failure !== undefined) {
    const { stage, error } = result.failure;
    notes.push(`${stage}: threw after ${integer.format(error.made)} IDs: ${brief(error.message)}`);
  }
  const error = result.verdict?.error;
  if (error !== undefined) notes.push(`check: threw after ${integer.format(error.made)} of ${short(checkCount)} IDs: ${brief(error.message)}`);
  return notes.join('; ');
}

function brief(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return `"${line.length > 48 ? `${line.slice(0, 45)}...` : line}"`.replaceAll('|', '\\|');
}

/** 5000000 → "5M", 200000 → "200k". */
export function short(count: number): string {
  if (count % 1e6 === 0) return `${count / 1e6}M`;
  if (count % 1e3 === 0) return `${count / 1e3}k`;
  return integer.format(count);
}
