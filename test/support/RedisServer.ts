import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A real `redis-server` for tests, on 127.0.0.1 and a free port, with persistence off
 * (`--save '' --appendonly no`) so a restart starts empty, like a crashed cache. `npm test`
 * installs the Debian package when it is missing (scripts/prepare.mjs).
 *
 *     const redis = await RedisServer.start();
 *     after(() => redis.dispose());
 */
export class RedisServer {
  readonly port: number;
  readonly #dir: string;
  readonly #password: string | undefined;
  #process: ChildProcess | undefined;

  private constructor(port: number, dir: string, password: string | undefined) {
    this.port = port;
    this.#dir = dir;
    this.#password = password;
  }

  /**
   * Starts a server on a free port (or `port`) and resolves once it accepts connections;
   * with `password`, clients must AUTH with it (`requirepass`).
   */
  static async start(options: { port?: number; password?: string } = {}): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), 'flakery-redis-'));
    for (let attempt = 0; ; attempt += 1) {
      const server = new RedisServer(options.port ?? (await freePort()), dir, options.password);
      try {
        await server.#spawn();
        return server;
      } catch (err) {
        // Another process may have taken the free port between our probe and redis's bind.
        if (options.port !== undefined || attempt >= 2) {
          rmSync(dir, { recursive: true, force: true });
          throw err;
        }
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  get running(): boolean {
    return this.#process !== undefined;
  }

  /** Stops the server (SIGTERM; SIGKILL to simulate a crash) and waits until it has exited. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.#process;
    if (child === undefined) return;
    this.#process = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    }
  }

  /** Starts the server again on the same port, empty. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  /** Stops the server and removes its working directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #spawn(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port', String(this.port),
        '--bind', '127.0.0.1',
        '--save', '',
        '--appendonly', 'no',
        '--dir', this.#dir,
        '--loglevel', 'notice',
        ...(this.#password === undefined ? [] : ['--requirepass', this.#password]),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output: string[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (output.length < 50) output.push(line);
        if (line.includes('Ready to accept connections')) resolve();
      });
      child.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'ENOENT'
            ? new Error('redis-server is not installed: apt-get install redis-server (npm test does this as root)')
            : err,
        ),
      );
      child.once('exit', (code, signal) =>
        reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output.join('\n')}`)),
      );
    });
    child.stderr!.resume();
    await ready;
    this.#process = child;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
