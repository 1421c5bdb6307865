import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (this file runs from build/bench/soak/). */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The real `flakery serve` binary in a child process, as an operator runs it: the soak tests the
 * deployed thing (flags, banner, token from the environment, graceful stop), not a server built
 * in-process, and the server gets an event loop of its own apart from the load.
 */
export class SoakServer {
  readonly child: ChildProcess;
  /** `host:port` from the banner's "listening on" line. */
  readonly address: string;
  readonly command: string;
  readonly exited: Promise<number | null>;
  readonly #stderr: () => string;

  private constructor(child: ChildProcess, address: string, command: string, exited: Promise<number | null>, stderr: () => string) {
    this.child = child;
    this.address = address;
    this.command = command;
    this.exited = exited;
    this.#stderr = stderr;
  }

  /** Starts `flakery serve` on 127.0.0.1, a free port, with a fixed node identity. */
  static start(layout: string, token: string): Promise<SoakServer> {
    // A worker id the tests' servers do not use: the worker-id lock is per host.
    const node = layout === 'snowflake' ? ['--datacenter-id', '30', '--machine-id', '1'] : ['--hid', '0242ac110002'];
    const args = [join(repoRoot, 'bin', 'flakery.js'), 'serve', '--listen', '127.0.0.1:0', '--layout', layout, ...node];
    const command = `node bin/flakery.js ${args.slice(1).join(' ')} (token in FLAKERY_AUTH_TOKEN)`;
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, FLAKERY_AUTH_TOKEN: token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        const match = /listening on (\S+)\n/.exec(stderr);
        if (match) resolve(new SoakServer(child, match[1]!, command, exited, () => stderr));
      });
      child.once('error', reject);
      void exited.then((code) => reject(new Error(`flakery serve exited with status ${code} before listening:\n${stderr}`)));
    });
  }

  /** Everything the server wrote to stderr. */
  get stderr(): string {
    return this.#stderr();
  }

  /** SIGTERM (graceful stop); resolves with the exit status. */
  stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}
