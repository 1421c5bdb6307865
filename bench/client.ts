/**
 * `npm run bench:client`: IDs per call from a real `flakery serve --layout snowflake` child
 * process, with and without prefetch, beside a local generator in this process, in one run.
 *
 * Each call is timed with hrtime (p50, p99); every ID is checked right after the call: strictly
 * above the one before, and (with prefetch) not older than `maxAgeMs` at hand-out: against the
 * last reading of the clock the client was given (the system clock, with each reading kept),
 * which is the one it judged the ID by. The age against the clock read after the call is shown
 * too: it adds any time the process was not running (on a loaded machine, tens of ms; the local
 * generator's row shows how much). The rate is IDs over the wall time of the whole loop, timing
 * and checking included: a floor.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { clientDefaults } from '../src/client/clientDefaults.js';
import { createClient } from '../src/client/createClient.js';
import type { IdClient } from '../src/client/IdClient.js';
import { createGenerator } from '../src/createGenerator.js';
import { epochs } from '../src/layouts/epochs.js';
import { loadNow, machineLines } from './report.js';

const MAX_AGE_MS = 100;
/** The buffer size: the default, or PREFETCH_IDS from the environment. */
const PREFETCH_IDS = Number(process.env.PREFETCH_IDS ?? clientDefaults.prefetch.ids);
const TWITTER_EPOCH = BigInt(epochs.twitter);
const bin = fileURLToPath(new URL('../../bin/flakery.js', import.meta.url));

interface Row {
  readonly name: string;
  readonly ids: number;
  readonly seconds: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxAgeSeenMs: number;
  readonly maxAgeAfterMs: number;
  readonly orderOk: boolean;
  readonly ageOk: boolean;
  readonly checkAge: boolean;
}

/** Calls `call` until `calls` IDs or `maxMs`, timing each call and checking order and age. */
/** The system clock, keeping its last reading: the time the client judged the last ID by. */
let lastReadingMs = 0;
const recordingClock = { now: () => (lastReadingMs = Date.now()) };

async function run(name: string, calls: number, maxMs: number, call: () => bigint | Promise<bigint>, checkAge: boolean): Promise<Row> {
  const durations = new Float64Array(calls);
  let last = -1n;
  let orderOk = true;
  let maxAgeSeenMs = 0;
  let maxAgeAfterMs = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(maxMs) * 1_000_000n;
  let n = 0;
  for (; n < calls; n++) {
    const t0 = process.hrtime.bigint();
    const pending = call();
    const id = typeof pending === 'bigint' ? pending : await pending;
    const t1 = process.hrtime.bigint();
    durations[n] = Number(t1 - t0);
    if (id <= last) orderOk = false;
    last = id;
    const idMs = Number((id >> 22n) + TWITTER_EPOCH);
    const age = lastReadingMs - idMs;
    if (age > maxAgeSeenMs) maxAgeSeenMs = age;
    const ageAfter = Date.now() - idMs;
    if (ageAfter > maxAgeAfterMs) maxAgeAfterMs = ageAfter;
    if ((n & 1023) === 0 && t1 > deadline) {
      n++;
      break;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sorted = durations.subarray(0, n).sort();
  const at = (q: number) => (sorted[Math.min(n - 1, Math.floor(q * n))] ?? Number.NaN) / 1000;
  return { name, ids: n, seconds, p50Us: at(0.5), p99Us: at(0.99), maxAgeSeenMs, maxAgeAfterMs, orderOk, ageOk: !checkAge || maxAgeSeenMs <= MAX_AGE_MS, checkAge };
}

function startServer(): Promise<{ child: ChildProcess; address: string }> {
  return new Promise((resolve, reject) => {
    // Machine id 30: one no test takes, so the host-wide worker-id lock lets it run beside them.
    const child = spawn(process.execPath, [bin, 'serve', '--layout', 'snowflake', '--listen', '127.0.0.1:0', '--machine-id', '30'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: string) => {
      output += chunk;
      const listening = /listening on (\S+)\n/.exec(output);
      if (listening) resolve({ child, address: listening[1]! });
    };
    child.stdout!.setEncoding('utf8').on('data', collect);
    child.stderr!.setEncoding('utf8').on('data', collect);
    child.on('exit', (status) => reject(new Error(`flakery serve exited (${status}) before listening: ${output}`)));
  });
}

async function main(): Promise<void> {
  const loadAtStart = loadNow();
  const { child, address } = await startServer();
  const rows: Row[] = [];
  let prefetched: IdClient | undefined;
  try {
    const plain = createClient({ servers: [address], layout: 'snowflake' });
    await plain.next(); // connect
    rows.push(await run('client, await next()', 200_000, 3_000, () => plain.next(), false));
    await plain.close();

    const async = createClient({ servers: [address], layout: 'snowflake', prefetch: { ids: PREFETCH_IDS, maxAgeMs: MAX_AGE_MS }, clock: recordingClock });
    await async.next();
    rows.push(await run(`prefetch ${PREFETCH_IDS}, await next()`, 4_000_000, 3_000, () => async.next(), true));
    await async.close();

    prefetched = createClient({ servers: [address], layout: 'snowflake', prefetch: { ids: PREFETCH_IDS, maxAgeMs: MAX_AGE_MS }, clock: recordingClock });
    const client = prefetched;
    await client.next();
    const fast = (): bigint | Promise<bigint> => {
      try {
        return client.nextSync();
      } catch {
        return client.next(); // ERR_PREFETCH_EMPTY: wait for the refill
      }
    };
    rows.push(await run(`prefetch ${PREFETCH_IDS}, nextSync()`, 4_000_000, 3_000, fast, true));
  } finally {
    await prefetched?.close();
    child.kill('SIGTERM');
  }
  const local = createGenerator({ layout: 'snowflake', machineId: 1 });
  rows.push(await run('local createGenerator next()', 4_000_000, 3_000, () => local.next(), false));

  const localRate = rows.at(-1)!.ids / rows.at(-1)!.seconds;
  console.log(`flakery client, snowflake, one caller in a loop; prefetch maxAgeMs ${MAX_AGE_MS}`);
  for (const line of machineLines(loadAtStart)) console.log(line);
  console.log('');
  console.log('| calls | IDs | IDs/s | vs local | p50 µs | p99 µs | oldest at hand-out | oldest after return | order | age ≤ maxAgeMs |');
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|---|---|');
  for (const row of rows) {
    const rate = row.ids / row.seconds;
    console.log(
      `| ${row.name} | ${row.ids.toLocaleString('en-US')} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / localRate).toFixed(3)} | ` +
        `${row.p50Us.toFixed(2)} | ${row.p99Us.toFixed(2)} | ${row.checkAge ? `${row.maxAgeSeenMs} ms` : '–'} | ${row.maxAgeAfterMs} ms | ${row.orderOk ? 'strictly increasing' : 'NOT IN ORDER'} | ` +
        `${row.checkAge ? (row.ageOk ? 'yes' : 'NO') : '–'} |`,
    );
  }
  if (rows.some((row) => !row.orderOk || !row.ageOk)) process.exitCode = 1;
}

await main();
