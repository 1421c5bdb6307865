import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchLayout, BenchObserver, FromServerChild, ToServerChild } from '../serverChild.js';

export interface ServerProcessOptions {
  readonly layout: BenchLayout;
  readonly observer: BenchObserver;
  /** Extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=…`. */
  readonly nodeArgs?: readonly string[];
  /** Run the server on this CPU only (Linux `taskset`). */
  readonly cpu?: number | undefined;
}

const childScript = fileURLToPath(new URL('../serverChild.js', import.meta.url));

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every common Linux. */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds the whole machine has spent busy (all cores, all processes; /proc/stat's first
 * line less idle and iowait); NaN off Linux. With the server's and the load generator's own
 * times it shows what else ran during a cell: other work skews every number.
 */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    return (total - (ticks[3] ?? 0) - (ticks[4] ?? 0)) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** What a cell runs against: Flakery in a child process, or a peer server. */
export interface BenchServer {
  readonly tcpPort: number;
  /** 0 when the server has no HTTP API. */
  readonly httpPort: number;
  readonly idSize: number;
  /** CPU seconds (user + system, all threads) the server has used so far; NaN off Linux. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** CPU seconds (user + system, all threads) process `pid` has used so far; NaN off Linux. */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: state is [0], utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/**
 * The ID server in a child process (bench/serverChild.ts), so it gets a core of its own and the
 * load generator cannot slow its event loop. Its CPU time is read from /proc, from outside,
 * which costs the server nothing.
 */
export class ServerProcess implements BenchServer {
  readonly child: ChildProcess;
  readonly tcpPort: number;
  readonly httpPort: number;
  readonly idSize: number;

  private constructor(child: ChildProcess, ready: Extract<FromServerChild, { type: 'listening' }>) {
    this.child = child;
    this.tcpPort = ready.tcpPort;
    this.httpPort = ready.httpPort;
    this.idSize = ready.idSize;
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const nodeArgs = [...(options.nodeArgs ?? []), childScript];
    const [command, args] =
      options.cpu === undefined
        ? [process.execPath, nodeArgs]
        : ['taskset', ['-c', String(options.cpu), process.execPath, ...nodeArgs]];
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await new Promise<Extract<FromServerChild, { type: 'listening' }>>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => reject(new Error(`the server process exited (${signal ?? code}) before listening`)));
      child.on('message', (message: FromServerChild) => {
        if (message.type === 'listening') resolve(message);
        else reject(new Error(`the server process failed to start: ${message.message}`));
      });
      child.send({ type: 'start', layout: options.layout, observer: options.observer } satisfies ToServerChild);
    });
    child.removeAllListeners('exit');
    child.removeAllListeners('error');
    return new ServerProcess(child, ready);
  }

  cpuSeconds(): number {
    return processCpuSeconds(this.child.pid);
  }

  /** Graceful stop; resolves when the process has exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    this.child.send({ type: 'stop' } satisfies ToServerChild);
    await exited;
    clearTimeout(kill);
  }
}
