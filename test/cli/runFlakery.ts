import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/runCli.js';
import { repoRoot } from '../support/paths.js';

export const flakeryBin = join(repoRoot, 'bin', 'flakery.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real `flakery` (node bin/flakery.js) with `args`, feeding it `input` on stdin;
 * behind `prefix` (e.g. `unshare --pid --fork`) and with `env` added to this one's when given.
 */
export function runFlakery(
  args: readonly string[],
  input = '',
  options: { readonly prefix?: readonly string[]; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<CliResult> {
  const argv = [...(options.prefix ?? []), process.execPath, flakeryBin, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: repoRoot, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.on('error', () => {}); // the command may exit without reading stdin
    child.stdin.end(input);
  });
}

/** stdout's lines, without the empty string after the last newline. */
export function lines(text: string): string[] {
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all;
}

/**
 * Runs the same dispatcher in this process, with in-memory streams: what `runFlakery` checks
 * of the real binary, at a fraction of the cost of starting Node, for long tables of cases.
 */
export async function runInProcess(args: readonly string[], input = ''): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const collected = Promise.all([text(stdout), text(stderr)]);
  const status = await runCli(args, { stdin: Readable.from([input]), stdout, stderr });
  stdout.end();
  stderr.end();
  const [out, err] = await collected;
  return { status, stdout: out, stderr: err };
}

async function text(stream: Readable): Promise<string> {
  let all = '';
  for await (const chunk of stream.setEncoding('utf8')) all += chunk;
  return all;
}
