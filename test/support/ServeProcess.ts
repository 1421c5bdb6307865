import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/**
 * A real `node bin/flakery.js serve --listen 127.0.0.1:0 --http 127.0.0.1:0 …`, started and read
 * until it listens: its HTTP base URL from the "HTTP API on" line. `stop()` sends SIGTERM and
 * waits for the exit.
 */
export class ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly httpBase: string;
  stderr = '';

  private constructor(child: ChildProcessWithoutNullStreams, httpBase: string, stderr: string) {
    this.child = child;
    this.httpBase = httpBase;
    this.stderr = stderr;
    child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
  }

  static async start(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<ServeProcess> {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'flakery.js'), 'serve', '--listen', '127.0.0.1:0', '--http', '127.0.0.1:0', ...args],
      { cwd: repoRoot, env: { ...process.env, FLAKERY_AUTH_TOKEN: '', ...env } },
    );
    child.stdout.resume();
    child.stderr.setEncoding('utf8');
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: string) => {
        stderr += chunk;
        if (/listening on \S+\n/.test(stderr)) {
          child.stderr.off('data', onData);
          child.off('exit', onExit);
          resolve();
        }
      };
      const onExit = () => reject(new Error(`flakery serve exited before listening:\n${stderr}`));
      child.stderr.on('data', onData);
      child.once('exit', onExit);
    });
    // The banner's http row: `  http       http://127.0.0.1:PORT`.
    return new ServeProcess(child, /^ {2}http +(https?:\/\/\S+)$/m.exec(stderr)![1]!, stderr);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
