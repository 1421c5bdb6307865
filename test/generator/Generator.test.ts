import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type Clock,
  ClockError,
  FlakeryError,
  ManualClock,
  TimeRangeError,
  type TimeGate,
  bytesToBigInt,
  createGenerator,
  decode,
  epochs,
} from '../../src/index.js';

const T0 = epochs.twitter + 1_000_000;

function snowflake(clock: Clock, extra: object = {}) {
  return createGenerator({ layout: 'snowflake', machineId: 7, clock, ...extra });
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

function sequenceOf(id: bigint): number {
  return Number(id & 0xfffn);
}

describe('Generator', () => {
  it('counts the sequence up within a millisecond and restarts it in the next', () => {
    const clock = new ManualClock(T0);
    const gen = snowflake(clock);
    assert.deepEqual([gen.next(), gen.next(), gen.next()].map(sequenceOf), [0, 1, 2]);
    clock.advance(1);
    assert.equal(sequenceOf(gen.next()), 0);
  });

  it('waits for the next millisecond when the sequence runs out, never wrapping', () => {
    // Each reading moves the clock 1 µs-equivalent: the 4,097th ID must come from T0 + 1.
    let reads = 0;
    const clock: Clock = { now: () => T0 + Math.floor(reads++ / 5000) };
    const gen = snowflake(clock);
    const ids = gen.nextBatch(4097);
    assert.equal(decode(ids[4095]!, { layout: 'snowflake' }).unixMs, T0);
    assert.equal(decode(ids[4096]!, { layout: 'snowflake' }).unixMs, T0 + 1);
    assert.equal(sequenceOf(ids[4096]!), 0);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!);
  });

  it('refuses while the clock is behind, naming the milliseconds left, and recovers by itself', () => {
    const clock = new ManualClock(T0);
    const gen = snowflake(clock);
    const last = gen.next();
    clock.advance(-25);
    const error = thrown(() => gen.next());
    assert.ok(error instanceof ClockError);
    assert.equal(error.code, 'ERR_CLOCK_BACKWARDS');
    assert.equal(error.remainingMs, 25);
    const result = gen.tryNext();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.remainingMs, 25);
    assert.equal(gen.msUntilReady(), 25);
    clock.advance(25);
    const next = gen.next();
    assert.ok(next > last);
  });

  it('tryNext returns the ID as a value while the clock is fine', () => {
    const gen = snowflake(new ManualClock(T0));
    const result = gen.tryNext();
    assert.ok(result.ok);
    assert.equal(decode(result.id, { layout: 'snowflake' }).workerId, 7);
  });

  it('issues nothing before waitFor, then starts at its millisecond', () => {
    const clock = new ManualClock(T0);
    const gen = snowflake(clock, { waitFor: T0 + 40 });
    const error = thrown(() => gen.next());
    assert.ok(error instanceof ClockError);
    assert.equal(error.code, 'ERR_WAITING_FOR_START');
    assert.equal(error.remainingMs, 40);
    clock.set(T0 + 40);
    assert.equal(decode(gen.next(), { layout: 'snowflake' }).unixMs, T0 + 40);
  });

  it('refuses a clock before the epoch and past the time bits with TimeRangeError', () => {
    const before = snowflake(new ManualClock(epochs.twitter - 1));
    assert.throws(() => before.next(), (e: unknown) => e instanceof TimeRangeError && e.code === 'ERR_TIME_BEFORE_EPOCH');
    const past = snowflake(new ManualClock(epochs.twitter + 2 ** 41));
    assert.throws(() => past.next(), (e: unknown) => e instanceof TimeRangeError && e.code === 'ERR_TIME_OVERFLOW' && /past the last time/.test(e.message));
    const last = snowflake(new ManualClock(epochs.twitter + 2 ** 41 - 1));
    assert.equal(decode(last.next(), { layout: 'snowflake' }).unixMs, epochs.twitter + 2 ** 41 - 1);
  });

  it('writes increasing IDs as bytes across several milliseconds', () => {
    const clock = new ManualClock(epochs.overtone + 5_000, { autoAdvanceMs: 1 });
    const gen = createGenerator({ layout: 'overt', hardwareId: new Uint8Array([1, 2, 3, 4, 5, 6]), processId: 70000, clock });
    const bytes = gen.nextBytes(200_000);
    assert.equal(bytes.length, 200_000 * 16);
    let previous = -1n;
    for (let i = 0; i < 200_000; i++) {
      const id = bytesToBigInt(bytes, i * 16, 16);
      assert.ok(id > previous);
      previous = id;
    }
    const fields = decode(bytes.subarray(0, 16));
    assert.equal(fields.hardwareId, '010203040506');
    assert.equal(fields.processId, 70000 % 65536);
  });

  it('fillAvailable writes what this millisecond has left and 0 once it is spent', () => {
    const clock = new ManualClock(T0);
    const gen = snowflake(clock);
    const target = new Uint8Array(8 * 5000);
    assert.equal(gen.fillAvailable(target, 0, 4000), 4000);
    assert.equal(gen.fillAvailable(target, 0, 4000), 96);
    assert.equal(gen.fillAvailable(target, 0, 1), 0);
    assert.equal(gen.msUntilReady(), 1);
    clock.advance(1);
    assert.equal(gen.fillAvailable(target, 8, 1), 1);
  });

  it('asks each gate once per new millisecond, and issues nothing a gate refuses', () => {
    const admitted: number[] = [];
    let refuse = false;
    const gate: TimeGate = {
      admit(unixMs) {
        if (refuse) throw new FlakeryError('ERR_NOT_PERMITTED', 'refused by test');
        admitted.push(unixMs);
      },
    };
    const clock = new ManualClock(T0);
    const gen = snowflake(clock, { gates: [gate] });
    gen.next();
    gen.next();
    clock.advance(1);
    gen.next();
    assert.deepEqual(admitted, [T0, T0 + 1]);
    refuse = true;
    clock.advance(1);
    assert.throws(() => gen.next(), (e: unknown) => e instanceof FlakeryError && e.code === 'ERR_NOT_PERMITTED');
    assert.equal(gen.lastIssuedUnixMs, T0 + 1);
    refuse = false;
    assert.equal(decode(gen.next(), { layout: 'snowflake' }).unixMs, T0 + 2);
  });

  it('never repeats or decreases an ID, for any sequence of clock readings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 60 }),
        (steps, counts) => {
          // The clock wanders by the steps, forwards and backwards, then runs on normally so
          // that a generator waiting for a new millisecond always gets one.
          let reading = 0;
          let now = T0;
          const clock: Clock = { now: () => (reading < steps.length ? (now += steps[reading++]!) : (now += 1)) };
          const gen = snowflake(clock);
          let previous = -1n;
          const seen = new Set<bigint>();
          for (const count of counts) {
            let ids: bigint[];
            try {
              ids = gen.nextBatch(count);
            } catch (error) {
              if (error instanceof ClockError) continue;
              throw error;
            }
            for (const id of ids) {
              assert.ok(id > previous, 'IDs strictly increase');
              assert.ok(!seen.has(id));
              seen.add(id);
              previous = id;
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
