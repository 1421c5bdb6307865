import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoadWorkerInput } from './messages.js';

/** What one run of the native load generator (bench/load/native/loadgen.c) measured. */
export interface NativeLoadResult {
  readonly requests: number;
  readonly ids: number;
  readonly windowMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly violations: number;
  readonly idsChecked: number;
  readonly errors: number;
  /** The load generator's own CPU time (user + system) over the window. */
  readonly cpuSeconds: number;
}

/**
 * One cell for the native load generator: the worker-thread generator's input without its
 * Node-only knobs, plus an open-loop rate. `spin`: poll epoll without sleeping (for
 * 1-connection and open-loop cells, where a sleeping core's wake-up sits in every round trip).
 */
export type NativeLoadInput = Omit<LoadWorkerInput, 'drainTimeoutMs'> & {
  /** Open loop at this many requests a second in all (see loadgen.c); absent: closed loop. */
  readonly ratePerSecond?: number;
};

/** Called at the window's edges, as close to them as the child's output allows. */
export interface WindowEdges {
  readonly onStart: () => void;
  readonly onEnd: () => void;
}

const source = fileURLToPath(new URL('../../../bench/load/native/loadgen.c', import.meta.url));
const binary = fileURLToPath(new URL('./native/loadgen', import.meta.url));

/**
 * The path of the compiled load generator, compiling it first (`cc -O2`) when it is missing or
 * older than its source; undefined, with the reason, when there is no C compiler here.
 */
export function nativeLoadBinary(): { path: string } | { missing: string } {
  try {
    if (!existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs) {
      mkdirSync(dirname(binary), { recursive: true });
      execFileSync('cc', ['-O2', '-Wall', '-o', binary, source], { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    return { path: binary };
  } catch (error) {
    return { missing: `cannot compile ${source} with cc: ${(error as Error).message.split('\n', 1)[0]}` };
  }
}

/** Runs the native load generator for one cell. */
export async function runNativeLoad(path: string, input: NativeLoadInput, edges: WindowEdges): Promise<NativeLoadResult> {
  const args = [
    ['--host', input.host],
    ['--port', String(input.port)],
    ['--proto', input.listener],
    ['--count', String(input.idsPerRequest)],
    ['--conns', String(input.connections)],
    ['--depth', String(input.depth)],
    ['--id-size', String(input.idSize)],
    ['--warmup-ms', String(input.warmupMs)],
    ['--duration-ms', String(input.durationMs)],
  ].flat();
  if (input.spin) args.push('--spin');
  if (input.ratePerSecond !== undefined) args.push('--rate', String(input.ratePerSecond));
  const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  let result: NativeLoadResult | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'ready') child.stdin.end('start\n');
    else if (line === 'window start') edges.onStart();
    else if (line === 'window end') edges.onEnd();
    else if (line.startsWith('{')) result = JSON.parse(line) as NativeLoadResult;
  }
  const code = await exited;
  if (code !== 0 || result === undefined) throw new Error(`the native load generator failed (exit ${code})`);
  return result;
}
