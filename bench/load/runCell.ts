import { Worker } from 'node:worker_threads';
import { mergeSorted, percentile } from './LatencySamples.js';
import type { FromLoadWorker, LoadWorkerInput, LoadWorkerResult, ToLoadWorker } from './messages.js';
import { runNativeLoad } from './NativeLoad.js';
import type { Cell } from './plan.js';
import { type BenchServer, machineBusySeconds } from './ServerProcess.js';

export interface CellOptions {
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Load generator threads; the cell's connections are shared out among them. */
  readonly loadThreads: number;
  /** Load threads spin instead of sleeping (see LoadWorkerInput.spin). */
  readonly spin: boolean;
  /**
   * Which load generator: the native one (bench/load/native/loadgen.c, at this path), or Node
   * worker threads. The native one spins only for 1-connection cells (see NativeLoadInput.spin).
   */
  readonly load: { readonly kind: 'native'; readonly path: string } | { readonly kind: 'node' };
}

export interface CellResult {
  readonly cell: Cell;
  readonly requestsPerSecond: number;
  readonly idsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Server process CPU over the window, in cores (1 = one core busy all the time). */
  readonly serverCores: number;
  /** This process (the load generator: its threads, the idle main thread, GC) over the window, in cores. */
  readonly loadCores: number;
  /** Everything else on the machine over the window, in cores: should be near 0. */
  readonly otherCores: number;
  /** Busiest load worker's event-loop utilization over the window (0..1). */
  readonly loadUtilization: number;
  readonly violations: number;
  readonly idsChecked: number;
  readonly errors: number;
  /** Over repeated runs of the cell: (max − min) / median of IDs/s; 0 for one run. */
  readonly spread: number;
}

/**
 * The median of repeated runs of one cell by IDs/s (the lower middle one for an even count),
 * with the spread of the runs and the order violations and errors of all of them.
 */
export function medianRun(runs: readonly CellResult[]): CellResult {
  if (runs.length === 0) throw new RangeError('medianRun needs at least one run');
  const sorted = [...runs].sort((a, b) => a.idsPerSecond - b.idsPerSecond);
  const median = sorted[(sorted.length - 1) >> 1]!;
  const spread = (sorted.at(-1)!.idsPerSecond - sorted[0]!.idsPerSecond) / median.idsPerSecond;
  const sum = (pick: (run: CellResult) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    ...median,
    spread: Number.isFinite(spread) ? spread : 0,
    violations: sum((run) => run.violations),
    idsChecked: sum((run) => run.idsChecked),
    errors: sum((run) => run.errors),
  };
}

const workerScript = new URL('./loadWorker.js', import.meta.url);

/**
 * Runs one cell against a running server: starts the load workers, lets them connect, starts
 * them together, reads both processes' CPU time at the edges of the measured window, and
 * merges what the workers measured.
 */
export async function runCell(cell: Cell, server: BenchServer, options: CellOptions): Promise<CellResult> {
  if (options.load.kind === 'native') return runNativeCell(cell, server, options, options.load.path);
  const threads = Math.max(1, Math.min(options.loadThreads, cell.connections));
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  const results: Promise<LoadWorkerResult>[] = [];
  let windowStarts = 0;
  let windowEnds = 0;
  let cpuAtStart: CpuReading = { server: 0, load: 0, machine: 0, wall: 0 };
  let cpuAtEnd: CpuReading = { server: 0, load: 0, machine: 0, wall: 0 };
  const readCpu = (): CpuReading => {
    const usage = process.cpuUsage();
    return {
      server: server.cpuSeconds(),
      load: (usage.user + usage.system) / 1e6,
      machine: machineBusySeconds(),
      wall: performance.now() / 1000,
    };
  };

  for (let t = 0; t < threads; t++) {
    const input: LoadWorkerInput = {
      listener: cell.listener,
      host: '127.0.0.1',
      port: cell.listener === 'tcp' ? server.tcpPort : server.httpPort,
      connections: Math.floor(cell.connections / threads) + (t < cell.connections % threads ? 1 : 0),
      idsPerRequest: cell.idsPerRequest,
      idSize: server.idSize,
      depth: cell.depth,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      spin: options.spin,
      drainTimeoutMs: 2000,
    };
    const worker = new Worker(workerScript, { workerData: input });
    workers.push(worker);
    let onReady!: () => void;
    ready.push(new Promise<void>((resolve) => (onReady = resolve)));
    results.push(
      new Promise<LoadWorkerResult>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`a load worker exited (${code}) before its result`)));
        worker.on('message', (message: FromLoadWorker) => {
          switch (message.type) {
            case 'ready':
              return onReady();
            case 'window':
              if (message.edge === 'start' && ++windowStarts === 1) cpuAtStart = readCpu();
              if (message.edge === 'end' && ++windowEnds === threads) cpuAtEnd = readCpu();
              return;
            case 'result':
              return resolve(message.result);
            case 'failed':
              return reject(new Error(message.message));
          }
        });
      }),
    );
  }
  // A failed worker rejects Promise.all below; the others' later rejections are not news.
  for (const result of results) result.catch(() => {});
  try {
    await Promise.race([Promise.all(ready), Promise.all(results)]);
    for (const worker of workers) worker.postMessage({ type: 'start' } satisfies ToLoadWorker);
    const parts = await Promise.all(results);
    return merge(cell, parts, cpuAtStart, cpuAtEnd);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** One cell with the native load generator: one process, every connection. */
async function runNativeCell(cell: Cell, server: BenchServer, options: CellOptions, path: string): Promise<CellResult> {
  let start: CpuReading | undefined;
  let end: CpuReading | undefined;
  const read = (): CpuReading => ({ server: server.cpuSeconds(), load: 0, machine: machineBusySeconds(), wall: performance.now() / 1000 });
  const run = await runNativeLoad(
    path,
    {
      listener: cell.listener,
      host: '127.0.0.1',
      port: cell.listener === 'tcp' ? server.tcpPort : server.httpPort,
      connections: cell.connections,
      idsPerRequest: cell.idsPerRequest,
      idSize: server.idSize,
      depth: cell.depth,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      // Spin where the server leaves a core idle anyway: a sleeping load generator's own
      // wake-ups would be counted as the server's latency.
      spin: options.spin && (cell.connections === 1 || cell.ratePerSecond !== undefined),
      ...(cell.ratePerSecond === undefined ? {} : { ratePerSecond: cell.ratePerSecond }),
    },
    { onStart: () => (start = read()), onEnd: () => (end = read()) },
  );
  if (start === undefined || end === undefined) throw new Error('the native load generator did not report its window');
  const wall = end.wall - start.wall;
  const serverCores = (end.server - start.server) / wall;
  const loadCores = run.cpuSeconds / (run.windowMs / 1000);
  const seconds = run.windowMs / 1000;
  return {
    cell,
    requestsPerSecond: run.requests / seconds,
    idsPerSecond: run.ids / seconds,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    maxMs: run.maxMs,
    serverCores,
    loadCores,
    otherCores: Math.max(0, (end.machine - start.machine) / wall - serverCores - loadCores),
    loadUtilization: Number.NaN,
    violations: run.violations,
    idsChecked: run.idsChecked,
    errors: run.errors,
    spread: 0,
  };
}

/** CPU seconds so far: the server process, this process, the whole machine; and the wall clock. */
interface CpuReading {
  readonly server: number;
  readonly load: number;
  readonly machine: number;
  readonly wall: number;
}

function merge(cell: Cell, parts: readonly LoadWorkerResult[], start: CpuReading, end: CpuReading): CellResult {
  const sorted = mergeSorted(parts.map((part) => part.samples));
  // Each worker's rate over its own window, summed: the windows nearly coincide.
  const requestsPerSecond = parts.reduce((sum, part) => sum + part.requests / (part.windowMs / 1000), 0);
  const idsPerSecond = parts.reduce((sum, part) => sum + part.ids / (part.windowMs / 1000), 0);
  const wall = end.wall - start.wall;
  const serverCores = (end.server - start.server) / wall;
  const loadCores = (end.load - start.load) / wall;
  return {
    cell,
    requestsPerSecond,
    idsPerSecond,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
    serverCores,
    loadCores,
    otherCores: Math.max(0, (end.machine - start.machine) / wall - serverCores - loadCores),
    loadUtilization: Math.max(...parts.map((part) => part.utilization)),
    violations: parts.reduce((sum, part) => sum + part.violations, 0),
    idsChecked: parts.reduce((sum, part) => sum + part.idsChecked, 0),
    errors: parts.reduce((sum, part) => sum + part.errors, 0),
    spread: 0,
  };
}
