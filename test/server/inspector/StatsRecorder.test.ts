import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StatsRecorder } from '../../../src/server/inspector/StatsRecorder.js';

function recorder(seconds = 300) {
  let now = 1_000_000;
  const stats = new StatsRecorder({ seconds, now: () => now });
  return { stats, advance: (ms: number) => (now += ms) };
}

describe('StatsRecorder', () => {
  it('GIVEN IDs, requests and refusals in one second THEN that second is one sample once it has passed', () => {
    const { stats, advance } = recorder();
    stats.idsIssued(5, 0);
    stats.requestFinished('http', 'ok', 5, 0.002);
    stats.requestFinished('tcp', 'auth_failed', 0, 0.001);
    stats.requestFinished('http', 'auth_failed', 0, 0.001);
    stats.requestFinished('http', 'too_large', 0, 0.004);
    assert.deepEqual(stats.samples(), [], 'the current second is not finished');
    advance(1000);
    assert.deepEqual(stats.samples(), [{ t: 1000, ids: 5, requests: 4, refusals: { auth_failed: 2, too_large: 1 }, p99Ms: 4 }]);
  });

  it('GIVEN idle seconds THEN they are samples of zeros, and only the last `seconds` are kept', () => {
    const { stats, advance } = recorder(3);
    stats.idsIssued(1, 0);
    advance(10_000);
    const samples = stats.samples();
    assert.deepEqual(samples.map((s) => s.t), [1007, 1008, 1009]);
    assert.ok(samples.every((s) => s.ids === 0 && s.requests === 0 && s.p99Ms === null));
  });

  it('GIVEN any latencies THEN p99 is one of them, at least 99% of them are at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 500 }), (latencies) => {
        const { stats, advance } = recorder();
        for (const seconds of latencies) stats.requestFinished('http', 'ok', 1, seconds);
        advance(1000);
        const p99 = stats.samples()[0]!.p99Ms!;
        const ms = latencies.map((s) => s * 1000);
        assert.ok(ms.includes(p99));
        assert.ok(ms.filter((v) => v <= p99).length >= Math.ceil(ms.length * 0.99));
      }),
    );
  });
});
