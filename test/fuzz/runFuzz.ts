// `npm run fuzz [-- --seconds N] [-- --seed S]`: the server fuzzer of test/server/fuzzServer.test.ts
// for longer (default 60 s), against three servers at once (overt with a token, snowflake without,
// overt53 with a one-byte token). Prints cases run and failures; exits 1 on any failure.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { type FuzzTarget, newStats, serverProperty, startFuzzTarget } from './serverFuzz.js';

const BATCH_RUNS = 25;
/** Stop early after this many failing batches: later ones usually repeat the first. */
const MAX_FAILURES = 5;
/** Heap growth over the whole run (after gc) that counts as a leak. */
const MAX_HEAP_GROWTH = 32 * 1024 * 1024;

function parseArgs(argv: readonly string[]): { seconds: number; seed: number } {
  let seconds = 60;
  let seed = Date.now() % 2 ** 31;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag === '--seconds' && Number.isFinite(value) && value > 0 && value <= 86_400) seconds = value;
    else if (flag === '--seed' && Number.isSafeInteger(value)) seed = value;
    else {
      process.stderr.write(`fuzz: usage: runFuzz.js [--seconds N (0 < N <= 86400, default 60)] [--seed S]; bad argument ${String(flag)}\n`);
      process.exit(2);
    }
    i++;
  }
  return { seconds, seed };
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<number> {
  const { seconds, seed } = parseArgs(process.argv.slice(2));
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  const targets: FuzzTarget[] = [
    await startFuzzTarget({ layout: 'overt', token: 'fuzz-token-0123456789' }),
    await startFuzzTarget({ layout: 'snowflake' }),
    await startFuzzTarget({ layout: 'overt53', token: 'k' }),
  ];
  const stats = newStats();
  let failures = 0;
  let batch = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let nextReport = started + 10_000;
  let baseline: number | undefined;
  process.stdout.write(`fuzz: ${seconds} s against ${targets.map((t) => t.name).join('; ')}; seed ${seed}\n`);

  try {
    while (performance.now() < deadline && failures < MAX_FAILURES) {
      const target = targets[batch % targets.length]!;
      const batchSeed = (seed + batch) | 0;
      batch++;
      const result = await fc.check(serverProperty(target, stats), { numRuns: BATCH_RUNS, seed: batchSeed });
      if (result.failed) {
        failures++;
        process.stdout.write(`fuzz: FAILURE on ${target.name} (seed ${batchSeed}):\n${fc.defaultReportMessage(result)}\n`);
      }
      // The first batches warm up caches and the JIT; measure the heap from there on.
      if (batch === 2 * targets.length) baseline = heapAfterGc(gc);
      if (performance.now() >= nextReport) {
        nextReport += 10_000;
        const elapsed = (performance.now() - started) / 1000;
        process.stdout.write(`fuzz: ${elapsed.toFixed(0)} s: ${stats.cases} cases, ${stats.refused} refused by the server, ${failures} failures\n`);
      }
    }
  } finally {
    await Promise.all(targets.map((target) => target.close()));
  }

  const open = targets.reduce((sum, target) => sum + target.server.connectionCount, 0);
  const heap = heapAfterGc(gc);
  const growth = baseline === undefined ? 0 : heap - baseline;
  if (open > 0) {
    failures++;
    process.stdout.write(`fuzz: FAILURE: ${open} connections still open after closing the servers\n`);
  }
  if (growth > MAX_HEAP_GROWTH) {
    failures++;
    process.stdout.write(`fuzz: FAILURE: the heap grew by ${mb(growth)} over the run\n`);
  }
  const elapsed = (performance.now() - started) / 1000;
  process.stdout.write(
    `fuzz: ${stats.cases} cases in ${elapsed.toFixed(1)} s (${stats.refused} refused by the server, ` +
      `${stats.ids} IDs checked); heap ${mb(heap)} (${growth >= 0 ? '+' : ''}${mb(growth)} since warm-up); ` +
      `${failures} failure${failures === 1 ? '' : 's'}\n`,
  );
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
