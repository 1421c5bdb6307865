/**
 * End-to-end server benchmark: the ID server in its own process, load from worker threads over
 * raw sockets, a matrix of IDs per request × connections over TCP (and single IDs over HTTP),
 * with latency percentiles, an order check of every ID received, and the targets
 * printed beside the measurements.
 *
 *   npm run bench:server [-- --duration=2000 --warmup=500 --repeats=3 --only=snowflake --load=native|node
 *                            --peer-go=PATH/ofsrvr --load-threads=1 --observer=metrics|none --pin --no-spin
 *                            --busy-retries=2 --profile=DIR --write-docs]
 *
 * `--peer-go` adds the original Go server (a binary built from github.com/gotomgo/overt-flake)
 * as a peer: the whole matrix against its default and twitter generators, beside Flakery's
 * overt and snowflake, with the same load generator in the same run.
 *
 * Progress goes to stderr; the report (Markdown) to stdout; the run as JSON to
 * bench/results/server.json; with `--write-docs` the charts to docs/img/bench-server-*.svg. Exits 1
 * when any ID came out of order or any answer was wrong.
 *
 * CPU split on the 2-core machine: the server is one Node process (one event-loop thread: it
 * uses about one core), the load generator is this process, whose main thread only starts and
 * collects the workers. With `--pin` the server runs on CPU 0 and this process on CPU 1.
 * Load threads spin rather than sleep (`--no-spin` to sleep): an idle core of this VM takes
 * tens of µs to wake, which would count in every round trip of a 1-connection cell.
 * A cell during which other processes took more than 15 % of a core is run again, up to
 * `--busy-retries` times, keeping the quietest run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Cell, cellLabel, defaultPlan, isPeer } from './load/plan.js';
import { nativeLoadBinary } from './load/NativeLoad.js';
import { type CellOptions, type CellResult, medianRun, runCell } from './load/runCell.js';
import { type BenchServer, ServerProcess } from './load/ServerProcess.js';
import { GoPeerProcess } from './load/GoPeerProcess.js';
import { machineLines, matrixTable, peerTable, progressLine, targetTable } from './load/serverReport.js';
import { targets } from './load/targets.js';
import type { BenchObserver } from './serverChild.js';
import { type ServerRecord, serverCharts } from './charts/serverCharts.js';
import { currentLoad, runContext, writeRunOutput } from './RunOutput.js';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '2000' },
    repeats: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '500' },
    only: { type: 'string' },
    'load-threads': { type: 'string', default: '1' },
    observer: { type: 'string', default: 'metrics' },
    pin: { type: 'boolean', default: false },
    'no-spin': { type: 'boolean', default: false },
    'busy-retries': { type: 'string', default: '2' },
    profile: { type: 'string' },
    load: { type: 'string', default: 'native' },
    'peer-go': { type: 'string' },
    'write-docs': { type: 'boolean', default: false },
  },
});

function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${text}"`);
  return value;
}

const durationMs = wholeNumber('duration', flags.duration, 100);
const warmupMs = wholeNumber('warmup', flags.warmup, 0);
const loadThreads = wholeNumber('load-threads', flags['load-threads'], 1);
const busyRetries = wholeNumber('busy-retries', flags['busy-retries'], 0);
const repeats = wholeNumber('repeats', flags.repeats, 1);
const spin = !flags['no-spin'];
if (flags.load !== 'native' && flags.load !== 'node') throw new Error(`--load must be native or node, got "${flags.load}"`);
const native = flags.load === 'native' ? nativeLoadBinary() : undefined;
if (native !== undefined && 'missing' in native) {
  process.stderr.write(`bench:server: ${native.missing}; using the Node load generator (--load=node)\n`);
}
const load: CellOptions['load'] = native !== undefined && 'path' in native ? { kind: 'native', path: native.path } : { kind: 'node' };
/** Other work above this share of a core during a cell makes it worth running again. */
const BUSY_OTHER_CORES = 0.15;
if (flags.observer !== 'metrics' && flags.observer !== 'none') {
  throw new Error(`--observer must be metrics or none, got "${flags.observer}"`);
}
const observer: BenchObserver = flags.observer;
const profileDir = flags.profile === undefined ? undefined : resolve(flags.profile || 'bench-profiles');
const only = flags.only?.split(',').map((part) => part.trim().toLowerCase());
if (flags['write-docs'] && only !== undefined) throw new Error('--write-docs draws the documentation\'s charts from the whole matrix: leave out --only');

const progress = (line: string): void => {
  process.stderr.write(`bench:server: ${line}\n`);
};

const goPeer = flags['peer-go'];
if (goPeer !== undefined && load.kind !== 'native') throw new Error('--peer-go needs the native load generator (the Go peer is measured with the same one)');
const plan = defaultPlan({ goPeer: goPeer !== undefined }).filter(
  (cell) =>
    (only === undefined || only.some((part) => cellLabel(cell).toLowerCase().includes(part))) &&
    // Open-loop cells need the native load generator's schedule.
    (cell.ratePerSecond === undefined || load.kind === 'native'),
);
if (plan.length === 0) throw new Error(`--only=${flags.only} matches no cell; cells are like "${cellLabel(defaultPlan()[0]!)}"`);

if (flags.pin) {
  // Every thread of this process (workers are started later and inherit it) on CPU 1.
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}
if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });

const started = performance.now();
const loadAtStart = currentLoad();
const results: CellResult[] = [];
// One server process per layout, in the order the layouts first appear in the plan.
const layouts = [...new Set(plan.map((cell) => cell.layout))];
for (const layout of layouts) {
  const server: BenchServer = isPeer(layout)
    ? await GoPeerProcess.start(goPeer!, layout === 'go-overt' ? 'default' : 'twitter')
    : await ServerProcess.start({
        layout,
        observer,
        cpu: flags.pin ? 0 : undefined,
        nodeArgs: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=server-${layout}-${process.pid}.cpuprofile`],
      });
  try {
    for (const cell of plan.filter((c: Cell) => c.layout === layout)) {
      // Runs of one cell differ by up to ±15 % on this VM even when it is quiet, so each cell
      // runs `repeats` times and the median run (by IDs/s) stands for it. A run during which
      // other processes took CPU is run again, up to busyRetries times per cell.
      const runs: CellResult[] = [];
      let retriesLeft = busyRetries;
      while (runs.length < repeats) {
        const run = await runCell(cell, server, { warmupMs, durationMs, loadThreads, spin, load });
        if (run.otherCores > BUSY_OTHER_CORES && retriesLeft > 0) {
          retriesLeft--;
          progress(`${progressLine(run)}; other work was running, again`);
          continue;
        }
        runs.push(run);
      }
      const result = medianRun(runs);
      results.push(result);
      progress(progressLine(result));
    }
  } finally {
    await server.stop();
  }
}
const elapsedS = (performance.now() - started) / 1000;

const split =
  load.kind === 'native'
    ? `server: its own process${flags.pin ? ', pinned to CPU 0' : ''}; load: the native load generator (bench/load/native/loadgen.c, one epoll thread, one process${flags.pin ? ', pinned to CPU 1' : ''})` +
      (spin ? '; it polls without sleeping in 1-connection and open-loop cells only (an idle core of this VM takes tens of µs to wake, which would count as the server\'s latency)' : '; it sleeps in epoll when idle')
    : (flags.pin
    ? `server: its own process, pinned to CPU 0; load: ${loadThreads} worker thread(s) in the benchmark process, pinned to CPU 1`
    : `server: its own process; load: ${loadThreads} worker thread(s) in the benchmark process; not pinned (the kernel spreads the two busy threads over the 2 cores)`) +
  (spin ? '; load threads spin instead of sleeping (load CPU reads ~100 %)' : '; load threads sleep when idle');
const lines = [
  '## Server benchmark',
  '',
  ...machineLines(),
  `Split: ${split}. Server observer: ${observer === 'metrics' ? 'Prometheus metrics (as with /metrics on)' : 'none'}.`,
  `Each cell: ${repeats} run(s) of ${warmupMs} ms warm-up and ${durationMs} ms measured; the table shows the median run by IDs/s, and "spread" the range of IDs/s over the runs as a share of the median. Latency is per request, from its write to the last byte of its answer. Total ${elapsedS.toFixed(0)} s.`,
  "CPU columns: share of one core over the measured window: the server process, the load-generator process, and everything else on the machine (other work skews every figure; it should be near 0 %). Server µs/req: the server process's CPU time per request, the cost that bounds what one core can serve.",
  'Rows with layout `floor` are not Flakery: the same load against a bare Node socket server and a bare node:http handler (bench/load/floorServer.ts), what any Node server pays per request here.',
  '',
  matrixTable(results),
  '',
  '### Targets (snowflake; closed loop)',
  '',
  targetTable(targets, results),
  '',
];
if (results.some((r) => isPeer(r.cell.layout))) {
  lines.push(
    '### Flakery and the original Go server, same run, same load generator',
    '',
    `Go: ${goPeer} (github.com/gotomgo/overt-flake, built from source; not part of this repository). "Out of order" counts IDs ` +
      'not above the one before them on the same connection: for the Go server these are repeats, since it restarts the sequence ' +
      'for each request within a millisecond.',
    '',
    peerTable(results, [
      ['overt', 'go-overt'],
      ['snowflake', 'go-snowflake'],
    ]),
    '',
  );
}
const busiestOther = Math.max(...results.map((r) => r.otherCores));
if (busiestOther > BUSY_OTHER_CORES) {
  lines.push(
    `**Warning:** other work on the machine used up to ${(busiestOther * 100).toFixed(0)} % of a core during a cell ` +
      '(the "other CPU" column): those figures are lower, and their latencies longer, than on a quiet machine.',
    '',
  );
}
process.stdout.write(`${lines.join('\n')}\n`);

const record: ServerRecord = {
  context: runContext(loadAtStart),
  settings: { durationMs, warmupMs, repeats, load: load.kind, observer, pinned: flags.pin, goPeer: goPeer !== undefined },
  results,
};
for (const path of writeRunOutput('server', record, serverCharts(record), flags['write-docs'])) progress(`wrote ${path}`);
if (profileDir !== undefined) progress(`server CPU profiles written to ${profileDir}`);

// The Go peer's repeats are a finding about it, not a failure of this run.
const ours = results.filter((r) => !isPeer(r.cell.layout));
const violations = ours.reduce((sum, r) => sum + r.violations, 0);
const errors = ours.reduce((sum, r) => sum + r.errors, 0);
const checked = ours.reduce((sum, r) => sum + r.idsChecked, 0);
progress(`order check (Flakery): ${checked.toLocaleString('en-US')} IDs checked, ${violations} out of order, ${errors} bad answers`);
if (violations > 0 || errors > 0) process.exitCode = 1;
