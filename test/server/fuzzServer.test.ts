import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type FuzzTarget, newStats, serverProperty, startFuzzTarget } from '../fuzz/serverFuzz.js';

// Hostile-input fuzzing of the real TCP server, bounded to a few seconds. `npm run fuzz` runs the
// same cases for longer (test/fuzz/runFuzz.ts). What each case asserts is in test/fuzz/serverFuzz.ts.

const RUNS = 120;

/** `gc()` without --expose-gc on the command line (node --test starts this file itself). */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

for (const options of [
  { layout: 'overt', token: 'fuzz-token-0123456789' },
  { layout: 'snowflake' },
] as const) {
  describe(`TcpIdServer under hostile input (${options.layout}, ${'token' in options ? 'token' : 'no token'})`, () => {
    let target: FuzzTarget;
    before(async () => (target = await startFuzzTarget(options)));
    after(() => target.close());

    it('GIVEN mutated frame sequences in random TCP pieces THEN answers exactly what was valid, never without the token, and stays up', async () => {
      const stats = newStats();
      await fc.assert(serverProperty(target, stats), { numRuns: RUNS });
      assert.equal(stats.cases, RUNS);
      assert.ok(stats.refused > 0 && stats.refused < RUNS, `both refused and accepted cases ran (${stats.refused} refused)`);
      assert.equal(target.server.connectionCount, 0);
    });

    it('GIVEN many hostile cases THEN the heap does not grow with them', async () => {
      const gc = exposeGc();
      const stats = newStats();
      await fc.assert(serverProperty(target, stats), { numRuns: 20, seed: 1 }); // warm up caches and JIT
      const baseline = heapAfterGc(gc);
      await fc.assert(serverProperty(target, stats), { numRuns: 100, seed: 2 });
      const grown = heapAfterGc(gc) - baseline;
      assert.equal(target.server.connectionCount, 0);
      // A leak of one connection's state (socket, decoder, session) per case would be well over this.
      assert.ok(grown < 2 * 1024 * 1024, `heap grew by ${grown} bytes over 100 cases`);
    });
  });
}
