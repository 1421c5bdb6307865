import { readdirSync, readFileSync } from 'node:fs';
import { type IntervalHistogram, monitorEventLoopDelay, PerformanceObserver, constants as perf } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { familyHeader, formatValue, singleSampleHead } from './exposition.js';
import { FixedHistogram } from './FixedHistogram.js';

/** How often the event loop is sampled, in ms (prom-client's default). */
const EVENT_LOOP_RESOLUTION_MS = 10;
const GC_BUCKETS_SECONDS: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5];
const GC_KINDS = new Map<number, string>([
  [perf.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [perf.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [perf.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [perf.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);
const GC = 'nodejs_gc_duration_seconds';
const LAG = 'Event loop delay beyond the 10 ms sampling interval, in seconds, since the last scrape:';
/** Each family's HELP and TYPE lines, then `name ` for a family of one sample; prom-client's names. */
const HEAD = {
  cpuUser: singleSampleHead('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', 'counter'),
  cpuSystem: singleSampleHead('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', 'counter'),
  cpu: singleSampleHead('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter'),
  start: singleSampleHead('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'gauge'),
  rss: singleSampleHead('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge'),
  openFds: singleSampleHead('process_open_fds', 'Number of open file descriptors.', 'gauge'),
  maxFds: singleSampleHead('process_max_fds', 'Maximum number of open file descriptors.', 'gauge'),
  lag: singleSampleHead('nodejs_eventloop_lag_seconds', `${LAG} mean.`, 'gauge'),
  lagP99: singleSampleHead('nodejs_eventloop_lag_p99_seconds', `${LAG} 99th percentile.`, 'gauge'),
  lagMax: singleSampleHead('nodejs_eventloop_lag_max_seconds', `${LAG} maximum.`, 'gauge'),
  heapTotal: singleSampleHead('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', 'gauge'),
  heapUsed: singleSampleHead('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', 'gauge'),
  gc: familyHeader(GC, 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.', 'histogram'),
};

/**
 * The process metrics operators expect of a Node service, under the names prom-client gives
 * them (so existing dashboards work):
 *
 * | metric | type | |
 * |---|---|---|
 * | process_cpu_user_seconds_total, process_cpu_system_seconds_total, process_cpu_seconds_total | counter | |
 * | process_resident_memory_bytes | gauge | |
 * | process_start_time_seconds | gauge | |
 * | process_open_fds, process_max_fds | gauge | Linux only (/proc) |
 * | nodejs_eventloop_lag_seconds, nodejs_eventloop_lag_p99_seconds, nodejs_eventloop_lag_max_seconds | gauge | since the last scrape |
 * | nodejs_heap_size_total_bytes, nodejs_heap_size_used_bytes | gauge | |
 * | nodejs_gc_duration_seconds | histogram | kind |
 *
 * The event loop is sampled every 10 ms by `perf_hooks.monitorEventLoopDelay` (a libuv timer
 * that does not keep the process alive); the lag is the delay beyond those 10 ms, its mean and
 * p99 over the time since the previous render (each render starts a new window). Collections
 * are timed by a PerformanceObserver on `gc`. Both run from construction until `close()`.
 */
export class ProcessMetrics {
  readonly #eventLoop: IntervalHistogram;
  readonly #gcObserver: PerformanceObserver;
  readonly #gc = new Map<string, FixedHistogram>();
  /** The soft limit on open files, read once at start; undefined off Linux. */
  readonly #maxFds: number | undefined;
  #closed = false;

  constructor() {
    this.#eventLoop = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    this.#eventLoop.enable();
    for (const kind of GC_KINDS.values()) this.#gc.set(kind, new FixedHistogram(GC, GC_BUCKETS_SECONDS, `kind="${kind}"`));
    this.#gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = GC_KINDS.get((entry as { detail?: { kind?: number } }).detail?.kind ?? -1);
        if (kind !== undefined) this.#gc.get(kind)?.observe(entry.duration / 1000);
      }
    });
    this.#gcObserver.observe({ entryTypes: ['gc'] });
    this.#maxFds = readMaxFds();
  }

  /** Stops sampling the event loop and timing collections (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#eventLoop.disable();
    this.#gcObserver.disconnect();
  }

  /** Every family, in the text format; starts a new event loop window. */
  render(): string {
    const cpu = process.cpuUsage();
    const heap = getHeapStatistics(); // what process.memoryUsage() reads, without its slower RSS probe
    const openFds = countOpenFds();
    const loop = this.#eventLoop;
    const sampled = loop.count > 0; // percentile() walks the whole histogram (tens of µs): only when there is something in it
    const lag = (read: () => number): number => (sampled ? Math.max(0, read() / 1e9 - EVENT_LOOP_RESOLUTION_MS / 1000) : 0);
    let text = `${HEAD.cpuUser}${cpu.user / 1e6}\n${HEAD.cpuSystem}${cpu.system / 1e6}\n${HEAD.cpu}${(cpu.user + cpu.system) / 1e6}\n`;
    text += `${HEAD.start}${Math.round(performance.timeOrigin / 1000)}\n${HEAD.rss}${process.memoryUsage.rss()}\n`;
    if (openFds !== undefined) text += `${HEAD.openFds}${openFds}\n`;
    if (this.#maxFds !== undefined) text += `${HEAD.maxFds}${this.#maxFds}\n`;
    text += `${HEAD.lag}${formatValue(lag(() => loop.mean))}\n${HEAD.lagP99}${formatValue(lag(() => loop.percentile(99)))}\n`;
    text += `${HEAD.lagMax}${formatValue(lag(() => loop.max))}\n`;
    text += `${HEAD.heapTotal}${heap.total_heap_size}\n${HEAD.heapUsed}${heap.used_heap_size}\n${HEAD.gc}`;
    loop.reset();
    for (const histogram of this.#gc.values()) text += histogram.render();
    return text;
  }
}

/** Open file descriptors (Linux), not counting the one this reading opens; undefined elsewhere. */
function countOpenFds(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

/** The soft `Max open files` limit from /proc/self/limits; undefined when unlimited or unreadable. */
function readMaxFds(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}
