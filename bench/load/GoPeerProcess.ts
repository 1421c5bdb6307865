import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, connect, createServer } from 'node:net';
import { type BenchServer, processCpuSeconds } from './ServerProcess.js';

/**
 * The original overt-flake server (Go), as a peer measured in the same run as Flakery with the
 * same load generator: `npm run bench:server -- --peer-go=/path/to/ofsrvr`. Its source is not
 * part of this repository; build it from github.com/gotomgo/overt-flake. `default` is its
 * standard 128-bit generator (Flakery's `overt`); `twitter` its 64-bit Snowflake generator,
 * which only builds of it that have `-gentype twitter` offer.
 */
export type GoGenerator = 'default' | 'twitter';

export class GoPeerProcess implements BenchServer {
  readonly child: ChildProcess;
  readonly tcpPort: number;
  readonly httpPort = 0;
  readonly idSize: number;

  private constructor(child: ChildProcess, port: number, idSize: number) {
    this.child = child;
    this.tcpPort = port;
    this.idSize = idSize;
  }

  static async start(binary: string, generator: GoGenerator): Promise<GoPeerProcess> {
    const port = await freePort();
    const args = ['-ip', `127.0.0.1:${port}`, '-hidtype', 'fixed', '-hid', 'bench!', '-gentype', generator];
    if (generator === 'twitter') args.push('-machineid', '1');
    // Its banner and a log line per closed connection go to stderr: not wanted in the report.
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    const failed = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${binary} exited (${code}) before listening`)));
    });
    await Promise.race([waitForListener(port), failed]);
    child.removeAllListeners('exit');
    child.removeAllListeners('error');
    return new GoPeerProcess(child, port, generator === 'twitter' ? 8 : 16);
  }

  cpuSeconds(): number {
    return processCpuSeconds(this.child.pid);
  }

  /** SIGTERM, which the Go server answers by exiting at once. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** A port free now (the Go server takes an address, not port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (tries for 5 s). */
async function waitForListener(port: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
