// `npm run soak [-- --clients N] [-- --minutes M] [-- --layout L] [-- --server host:port]`
//
// N clients (default 16) ask one server for IDs for M minutes (default 1), with request sizes
// from 1 to 20,000 IDs, and every ID is checked: per client, strictly increasing as it arrives;
// across all clients, unique (an online merge of the sorted client streams, see
// soak/UniquenessMerge.ts, so memory stays at the unmerged tail whatever the run's length).
// Without --server it starts `flakery serve` (the real binary) in a child process with a random
// auth token and stops it with SIGTERM at the end; with --server it targets a running server
// (token from FLAKERY_AUTH_TOKEN). Exits 1 on any duplicate, order violation or failed request.
// Not part of CI: it runs for minutes and wants the machine to itself.
import { randomBytes } from 'node:crypto';
import { createClient } from '../src/client/createClient.js';
import type { IdClient } from '../src/client/IdClient.js';
import { type LayoutName, layoutNames } from '../src/layouts/registry.js';
import { resolveLayout } from '../src/options/resolveLayout.js';
import { parseHostPort } from '../src/net/hostPort.js';
import { IdOrderCheck } from './load/IdOrderCheck.js';
import { SoakServer } from './soak/SoakServer.js';
import { UniquenessMerge } from './soak/UniquenessMerge.js';

interface SoakOptions {
  clients: number;
  minutes: number;
  layout: string;
  server: string | undefined;
  allowRemote: boolean;
  seed: number;
}

const USAGE =
  'usage: soak.js [--clients N (1..1024, default 16)] [--minutes M (0 < M <= 1440, default 1)] ' +
  `[--layout ${layoutNames.join('|')} (default overt)] [--server host:port [--allow-remote]] [--seed S]`;

function fail(message: string): never {
  process.stderr.write(`soak: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseOptions(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = { clients: 16, minutes: 1, layout: 'overt', server: undefined, allowRemote: false, seed: Date.now() % 2 ** 31 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--allow-remote') {
      options.allowRemote = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) fail(`${flag} needs a value`);
    const number = Number(value);
    if (flag === '--clients' && Number.isInteger(number) && number >= 1 && number <= 1024) options.clients = number;
    else if (flag === '--minutes' && number > 0 && number <= 1440) options.minutes = number;
    else if (flag === '--layout' && (layoutNames as readonly string[]).includes(value)) options.layout = value;
    else if (flag === '--server') options.server = value;
    else if (flag === '--seed' && Number.isSafeInteger(number)) options.seed = number;
    else fail(`bad argument ${flag} ${value}`);
  }
  if (options.server !== undefined) {
    let host: string;
    try {
      host = parseHostPort('--server', options.server).host;
    } catch (error) {
      fail((error as Error).message);
    }
    // A soak is a load test: by default it only ever loads this machine.
    const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
    if (!loopback && !options.allowRemote) fail(`--server ${options.server} is not a loopback address; add --allow-remote to load another host`);
  }
  return options;
}

/** Request sizes: single IDs, small and large batches, as a mixed population of clients asks. */
function countPicker(seed: number): () => number {
  let state = seed >>> 0 || 1;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return () => {
    const r = random();
    if (r < 0.2) return 1;
    if (r < 0.6) return 2 + Math.floor(random() * 99);
    if (r < 0.9) return 100 + Math.floor(random() * 4901);
    return 5000 + Math.floor(random() * 15_001);
  };
}

interface Totals {
  requests: number;
  failed: number;
  firstFailure: string | undefined;
  perClient: number[];
}

async function runClient(index: number, client: IdClient, deadline: number, seed: number, order: IdOrderCheck, merge: UniquenessMerge, totals: Totals): Promise<void> {
  const pick = countPicker(seed + index);
  try {
    while (performance.now() < deadline && totals.failed < 100) {
      const count = pick();
      let bytes: Uint8Array;
      try {
        bytes = await client.nextBytes(count);
      } catch (error) {
        totals.failed++;
        totals.firstFailure ??= `client ${index}: ${(error as Error).message}`;
        continue;
      }
      order.push(bytes);
      merge.push(index, bytes);
      totals.requests++;
      totals.perClient[index]! += count;
    }
  } finally {
    merge.end(index);
    await client.close();
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const idSize = resolveLayout('--layout', options.layout).byteLength;
  let server: SoakServer | undefined;
  let address = options.server;
  let token = process.env.FLAKERY_AUTH_TOKEN;
  if (address === undefined) {
    token = randomBytes(16).toString('hex');
    server = await SoakServer.start(options.layout, token);
    address = server.address;
  }
  const where = server ? `${address} (started here: ${server.command})` : `${address} (external)`;
  process.stdout.write(`soak: ${options.clients} clients for ${options.minutes} min, layout ${options.layout}, against ${where}; seed ${options.seed}\n`);

  const orders = Array.from({ length: options.clients }, () => new IdOrderCheck(idSize));
  const merge = new UniquenessMerge(idSize, options.clients);
  const totals: Totals = { requests: 0, failed: 0, firstFailure: undefined, perClient: orders.map(() => 0) };
  const started = performance.now();
  const deadline = started + options.minutes * 60_000;
  let maxTail = 0;
  const progress = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    const violations = orders.reduce((n, o) => n + o.violations, 0);
    process.stdout.write(
      `soak: ${seconds.toFixed(0)} s: ${merge.merged.toLocaleString('en')} IDs checked ` +
        `(${Math.round(merge.merged / seconds).toLocaleString('en')}/s), ${totals.requests.toLocaleString('en')} requests, ` +
        `${merge.duplicates} duplicates, ${violations} order violations, ${totals.failed} failed requests, ` +
        `unmerged tail ${(merge.pendingBytes / 1024).toFixed(0)} KiB\n`,
    );
  }, 10_000);
  const tail = setInterval(() => (maxTail = Math.max(maxTail, merge.pendingBytes)), 100);

  const entry = { address, ...(token ? { authToken: token } : {}) };
  await Promise.all(
    orders.map((order, i) =>
      runClient(i, createClient({ servers: [entry], layout: options.layout as LayoutName }), deadline, options.seed, order, merge, totals),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(progress);
  clearInterval(tail);

  const received = orders.reduce((n, o) => n + o.ids, 0);
  const violations = orders.reduce((n, o) => n + o.violations, 0) + merge.disorder;
  const lost = received - merge.merged; // IDs the checker failed to merge: a bug in the soak itself
  process.stdout.write(
    `soak: done in ${seconds.toFixed(1)} s: IDs checked ${merge.merged.toLocaleString('en')} ` +
      `(${Math.round(merge.merged / seconds).toLocaleString('en')}/s) in ${totals.requests.toLocaleString('en')} requests; ` +
      `per client ${Math.min(...totals.perClient).toLocaleString('en')}..${Math.max(...totals.perClient).toLocaleString('en')} IDs; ` +
      `largest unmerged tail ${(maxTail / 1024 / 1024).toFixed(1)} MiB\n`,
  );
  process.stdout.write(`soak: duplicates found: ${merge.duplicates}${merge.firstDuplicate ? ` (first: ${merge.firstDuplicate})` : ''}\n`);
  process.stdout.write(`soak: order violations: ${violations}\n`);
  process.stdout.write(`soak: failed requests: ${totals.failed}${totals.firstFailure ? ` (first: ${totals.firstFailure})` : ''}\n`);
  if (lost !== 0) process.stdout.write(`soak: checker error: ${lost} IDs received but not merged\n`);

  let serverStatus: number | null = 0;
  if (server) {
    serverStatus = await server.stop();
    process.stdout.write(`soak: server stopped with SIGTERM, exit status ${serverStatus}\n`);
    if (serverStatus !== 0) process.stdout.write(server.stderr);
  }
  const ok = merge.duplicates === 0 && violations === 0 && totals.failed === 0 && lost === 0 && serverStatus === 0 && merge.merged > 0;
  process.stdout.write(`soak: ${ok ? 'PASS' : 'FAIL'}\n`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
