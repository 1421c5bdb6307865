/**
 * Start-up time of the `flakery` command (issue #12): whole processes, each started and waited
 * for, beside `node -e 0` (Node's own floor) in the same run. The cases take turns (A B C D,
 * A B C D, …) so a slow drift of the machine spreads over all of them; each row is the median.
 *
 *   npm run bench:startup [-- --runs=15] [-- --compare=OTHER/bin/flakery.js] [-- --write-docs]
 *
 * `--compare` adds the same commands run from another build (an older checkout), in the same turns.
 * Progress goes to stderr; the report (a Markdown table) to stdout; the run as JSON to
 * bench/results/startup.json; with `--write-docs` the chart to docs/img/bench-startup.svg.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './measure.js';
import { loadNow, machineLines } from './report.js';
import { type StartupKind, type StartupRecord, startupCharts } from './charts/startupChart.js';
import { currentLoad, runContext, writeRunOutput } from './RunOutput.js';

const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, compare: { type: 'string' }, 'write-docs': { type: 'boolean', default: false } },
});
const runs = Number(flags.runs);
if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got "${flags.runs}"`);

/** Each case's target: within this factor of `node -e 0`. */
const TARGET_RATIO = 1.6;
const flakeryBin = fileURLToPath(new URL('../../bin/flakery.js', import.meta.url));
/** An overt ID for `decode`: any valid one will do. */
const SAMPLE_ID = '378198863571581832598191868792157475';

interface StartupCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly kind: StartupKind;
  readonly times: number[];
}

const floor: StartupCase = { name: 'node -e 0', args: ['-e', '0'], kind: 'floor', times: [] };
/** The three commands of the issue, run from `bin`. */
function flakeryCases(bin: string, label: string, kind: StartupKind): StartupCase[] {
  return [
    { name: `flakery --version${label}`, args: [bin, '--version'], kind, times: [] },
    { name: `flakery gen --count 1${label}`, args: [bin, 'gen', '--count', '1'], kind, times: [] },
    { name: `flakery decode ID${label}`, args: [bin, 'decode', SAMPLE_ID], kind, times: [] },
  ];
}

const cases: StartupCase[] = [
  floor,
  ...flakeryCases(flakeryBin, '', 'flakery'),
  ...(flags.compare === undefined ? [] : flakeryCases(flags.compare, ` (${flags.compare})`, 'compared')),
];

/** Milliseconds from spawning the process to its exit; throws when it fails. */
function timeProcess(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr.toString()}`);
  return ms;
}

const loadAtStart = loadNow();
const loadValueAtStart = currentLoad();
for (const startupCase of cases) timeProcess(startupCase.args); // one unrecorded run each: disk caches
for (let run = 1; run <= runs; run++) {
  for (const startupCase of cases) startupCase.times.push(timeProcess(startupCase.args));
  process.stderr.write(`bench:startup: run ${run}/${runs}\n`);
}

const floorMs = median(floor.times);
const rows = cases.map(({ name, times }) => {
  const ms = median(times);
  const ratio = ms / floorMs;
  const verdict = name === floor.name ? '—' : ratio <= TARGET_RATIO ? 'yes' : 'no';
  return `| ${name} | ${ms.toFixed(0)} ms | ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms | ${ratio.toFixed(2)}× | ${verdict} |`;
});
const lines = [
  '## Start-up',
  '',
  ...machineLines(loadAtStart).map((line) => `${line}  `),
  `Each: median of ${runs} runs of the whole process, cases taking turns.`,
  '',
  `| command | median | range | ÷ node -e 0 | ≤ ${TARGET_RATIO}× |`,
  '| --- | ---: | ---: | ---: | --- |',
  ...rows,
  '',
];
process.stdout.write(lines.join('\n'));

const record: StartupRecord = {
  context: runContext(loadValueAtStart),
  settings: { runs, targetRatio: TARGET_RATIO },
  cases: cases.map(({ name, kind, times }) => ({ name, kind, times })),
};
for (const path of writeRunOutput('startup', record, startupCharts(record), flags['write-docs'])) process.stderr.write(`bench:startup: wrote ${path}\n`);
