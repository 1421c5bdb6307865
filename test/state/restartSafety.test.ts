import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ManualClock } from '../../src/clock/ManualClock.js';
import { Generator } from '../../src/generator/Generator.js';
import { epochs } from '../../src/layouts/epochs.js';
import { snowflakeLayout } from '../../src/layouts/SnowflakeLayout.js';
import { HighWaterMark } from '../../src/state/HighWaterMark.js';
import { startWaitMs } from '../../src/state/startWait.js';

const dir = mkdtempSync(join(tmpdir(), 'flakery-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_700_000_000_000;

/** What the server does on start: restore the mark, wait past it, gate the generator with it. */
function start(path: string, clock: ManualClock) {
  const mark = HighWaterMark.open(path, { aheadMs: 200 });
  const generator = new Generator({
    layout: snowflakeLayout,
    node: { workerId: 3 },
    epochMs: epochs.twitter,
    clock,
    notBeforeUnixMs: mark.restoredUnixMs + 1,
    gates: [mark],
  });
  return { mark, generator };
}

test('GIVEN a crash and a restart with a clock that went back THEN no ID repeats and none sorts before the old ones', async () => {
  const path = join(dir, 'state');
  const clock = new ManualClock(T0, { autoAdvanceMs: 1 });
  const first = start(path, clock);
  const before = first.generator.nextBatch(3_000);
  const lastBefore = before[before.length - 1]!;
  // Crash: nothing is flushed or closed. Then the clock is stepped back ten seconds.
  clock.set(T0 - 10_000);
  const second = start(path, clock);
  assert.ok(second.mark.restoredUnixMs >= first.generator.lastIssuedUnixMs!);

  const wait = startWaitMs(second.mark.restoredUnixMs, T0 - 10_000, 60_000);
  assert.ok(wait > 10_000);
  const refused = second.generator.tryNext();
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.error.code, 'ERR_WAITING_FOR_START');

  clock.set(T0 - 10_000 + wait);
  const afterRestart = second.generator.nextBatch(1_000);
  assert.ok(afterRestart[0]! > lastBefore, 'the first ID after the restart sorts after the last one before it');
  const seen = new Set(before);
  for (const id of afterRestart) assert.equal(seen.has(id), false);
  await first.mark.close();
  await second.mark.close();
});
