/**
 * In-process generation benchmark: Flakery's modes and peer libraries, timed in one process run,
 * then each asked for millions of IDs back to back to see whether any repeat or go backwards.
 *
 *   npm run bench [-- --duration=1000 --warmup=250 --repeats=3 --check=5000000 --only=flakery --write-docs]
 *
 * Progress goes to stderr; the report (Markdown tables) to stdout; the run as JSON to
 * bench/results/generation.json; with `--write-docs` the chart to docs/img/bench-generation.svg.
 */
import { parseArgs } from 'node:util';
import { createIdColumns } from './comparable.js';
import { freshProcessTable } from './firstBatch/freshProcesses.js';
import { type Contender, type FlakeryMode, PartialRun, type Peer } from './Contender.js';
import { flakeryModeFactories } from './flakeryModes.js';
import { checkRun, timeRun } from './measure.js';
import { peerFactories } from './peers.js';
import { type Result, comparisonTable, limitTable, loadNow, machineLines, short } from './report.js';
import { type GenerationRecord, generationCharts } from './charts/generationChart.js';
import { currentLoad, runContext, writeRunOutput } from './RunOutput.js';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '250' },
    repeats: { type: 'string', default: '3' },
    check: { type: 'string', default: '5000000' },
    only: { type: 'string' },
    'write-docs': { type: 'boolean', default: false },
  },
});

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1, got "${text}"`);
  return value;
}

const durationMs = positiveInteger('duration', flags.duration);
const warmupMs = positiveInteger('warmup', flags.warmup);
const repeats = positiveInteger('repeats', flags.repeats);
const checkCount = positiveInteger('check', flags.check);
const only = flags.only?.toLowerCase();
const writeDocs = flags['write-docs'];
if (writeDocs && only !== undefined) throw new Error('--write-docs draws the documentation\'s chart from every contender: leave out --only');

const progress = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};

/** One row in the making. */
interface Entry {
  readonly name: string;
  readonly contender?: Contender;
  readonly extra: Pick<Result, 'mode' | 'reference'>;
  rates: number[];
  failure?: Result['failure'];
}

const factories = [...flakeryModeFactories, ...peerFactories].filter(
  ({ name }) => only === undefined || name.toLowerCase().includes(only),
);

const entries: Entry[] = factories.map(({ name, create }): Entry => {
  try {
    const contender: FlakeryMode | Peer = create();
    const extra = 'key' in contender ? { mode: contender } : { reference: contender.reference };
    return { name, contender, extra, rates: [] };
  } catch (error) {
    return { name, extra: {}, rates: [], failure: { stage: 'construct', error: PartialRun.after(0, error) } };
  }
});

/** Runs `step` for every entry still standing; a throw retires that entry with its stage named. */
function eachLive(stage: string, step: (entry: Entry, contender: Contender) => void): void {
  for (const entry of entries) {
    if (entry.contender === undefined || entry.failure !== undefined) continue;
    try {
      step(entry, entry.contender);
    } catch (error) {
      entry.failure = { stage, error: PartialRun.after(0, error) };
      progress(`${entry.name}: ${stage} threw: ${entry.failure.error.message}`);
    }
  }
}

const started = performance.now();
const loadAtStart = loadNow();
const loadValueAtStart = currentLoad();
progress(`${entries.length} contenders; warm-up ${warmupMs} ms, ${repeats} × ${durationMs} ms each, then ${short(checkCount)} IDs each`);

eachLive('warm-up', (entry, contender) => {
  progress(`warming up ${entry.name}`);
  timeRun(contender, warmupMs);
});

// Round-robin repeats: a slow drift of the machine (another process, heat) spreads over every
// contender instead of landing on one.
for (let run = 1; run <= repeats; run++) {
  eachLive('timed run', (entry, contender) => {
    const rate = timeRun(contender, durationMs);
    entry.rates.push(rate);
    progress(`run ${run}/${repeats} ${entry.name}: ${(rate / 1e6).toFixed(3)} M IDs/s`);
  });
}

// The check runs even where timing failed: a library that throws may still have repeated IDs.
const ids = createIdColumns(checkCount);
const results: Result[] = entries.map((entry) => {
  const base = { name: entry.name, rates: entry.rates, ...entry.extra };
  const withFailure = entry.failure === undefined ? base : { ...base, failure: entry.failure };
  const contender = entry.contender;
  if (contender === undefined) return withFailure;
  progress(`checking ${short(checkCount)} back-to-back IDs of ${entry.name}`);
  const verdict = checkRun(contender, checkCount, ids);
  return { ...withFailure, bits: contender.bits, verdict };
});

// Large batches as a fresh process's first calls, each first size in a process of its own.
const freshCases = only === undefined || 'flakery overt fresh process'.includes(only);
const freshTable = freshCases ? freshProcessTable(warmupMs, durationMs, progress) : undefined;

const seconds = ((performance.now() - started) / 1000).toFixed(0);
const lines = [
  '## In-process generation',
  '',
  ...machineLines(loadAtStart).map((line) => `${line}  `),
  `Each: ${warmupMs} ms warm-up, then the median of ${repeats} timed runs of ${durationMs} ms (round-robin); ${short(checkCount)} back-to-back IDs checked. Took ${seconds} s.`,
  '',
  ...(results.some((result) => result.mode !== undefined) ? [limitTable(results), ''] : []),
  ...(results.length > 0 ? [comparisonTable(results, checkCount), ''] : []),
  ...(freshTable === undefined
    ? []
    : [
        '### Overt, large batch first, fresh process',
        '',
        `Each row a new process: ${warmupMs} ms of calls with the first size, then ${durationMs} ms timed.`,
        '',
        freshTable,
        '',
      ]),
];
process.stdout.write(lines.join('\n'));

const context = runContext(loadValueAtStart);
const record: GenerationRecord = {
  context,
  settings: { warmupMs, durationMs, repeats, checkCount },
  results: results.map(({ name, bits, mode, reference, rates, failure, verdict }) => ({
    name,
    bits,
    ...(mode === undefined ? { reference } : { mode: mode.key, limitPerSecond: mode.limitPerSecond, targetPercent: mode.targetPercent }),
    rates,
    ...(failure === undefined ? {} : { failure: { stage: failure.stage, made: failure.error.made, message: failure.error.message } }),
    ...(verdict === undefined
      ? {}
      : { verdict: { made: verdict.made, duplicates: verdict.duplicates, backwards: verdict.backwards, error: verdict.error?.message } }),
  })),
};
for (const path of writeRunOutput('generation', record, generationCharts(record), writeDocs)) progress(`wrote ${path}`);
