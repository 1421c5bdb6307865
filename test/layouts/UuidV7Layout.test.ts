import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { validate, version, v7 } from 'uuid';
import { uuidv7 as peerUuidv7 } from 'uuidv7';
import { type Clock, ClockError, InvalidOptionError, createDecoder, createGenerator, decode, formatId } from '../../src/index.js';

const T0 = Date.UTC(2026, 0, 1);

/** A clock that reads the given times in turn, then stays on the last. */
class ScriptedClock implements Clock {
  #index = 0;
  constructor(readonly times: readonly number[]) {}
  now(): number {
    return this.times[Math.min(this.#index++, this.times.length - 1)]!;
  }
}

const nodeArbitrary = fc.record({
  hardwareId: fc.uint8Array({ minLength: 6, maxLength: 6 }),
  processId: fc.integer({ min: 0, max: 2 ** 31 }),
});

/** Clock readings that wander backwards now and then, as an NTP step would. */
const clockArbitrary = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 40 }).map((steps) => {
  const times = [T0];
  for (const step of steps) times.push(times.at(-1)! + step);
  return times;
});

/** IDs made while the clock reads `times`, skipping refusals while it is behind. */
function generate(gen: { tryNext(): { ok: boolean; id?: bigint } }, attempts: number): bigint[] {
  const ids: bigint[] = [];
  for (let i = 0; i < attempts; i++) {
    const result = gen.tryNext();
    if (result.ok) ids.push(result.id!);
  }
  return ids;
}

describe('uuidv7 layout through the generator', () => {
  it('GIVEN any node and clock THEN every ID is a valid UUIDv7, increasing as bytes and as text, carrying the node', () => {
    fc.assert(
      fc.property(nodeArbitrary, clockArbitrary, fc.integer({ min: 1, max: 60 }), (node, times, attempts) => {
        const gen = createGenerator({ layout: 'uuidv7', hardwareId: node.hardwareId, processId: node.processId, clock: new ScriptedClock(times) });
        const ids = generate(gen, attempts);
        assert.ok(ids.length > 0, 'the first reading is never behind');
        const texts = ids.map((id) => formatId(id, 16, 'uuid'));
        for (const text of texts) {
          assert.ok(validate(text), `${text} is a UUID to the uuid package`);
          assert.equal(version(text), 7);
          const fields = decode(text, { layout: 'uuidv7' });
          assert.equal(fields.hardwareId, Buffer.from(node.hardwareId).toString('hex'));
          assert.equal(fields.processId, node.processId % 2 ** 14);
        }
        for (let i = 1; i < ids.length; i++) {
          assert.ok(ids[i - 1]! < ids[i]!, 'strictly increasing as integers (and so as big-endian bytes)');
          assert.ok(texts[i - 1]! < texts[i]!, 'strictly increasing as text');
        }
      }),
    );
  });

  it('GIVEN the clock behind the last ID THEN it refuses, never an ID, and never a random one', () => {
    const gen = createGenerator({ layout: 'uuidv7', hardwareId: '0242ac110002', processId: 5, clock: new ScriptedClock([T0, T0 - 2]) });
    const first = gen.next();
    assert.throws(() => gen.next(), (error) => error instanceof ClockError && error.code === 'ERR_CLOCK_BACKWARDS' && error.remainingMs === 2);
    const again = createGenerator({ layout: 'uuidv7', hardwareId: '0242ac110002', processId: 5, clock: new ScriptedClock([T0]) });
    assert.equal(again.next(), first, 'the same node, time and counter make the same ID: nothing in it is random');
  });

  it('GIVEN 4,096 IDs spent in a millisecond THEN the next waits for the next millisecond', () => {
    const times = [...Array.from({ length: 4096 }, () => T0), T0, T0, T0 + 1];
    const gen = createGenerator({ layout: 'uuidv7', hardwareId: '0242ac110002', clock: new ScriptedClock(times) });
    const ids = gen.nextBatch(4097);
    const decoded = [ids[4095]!, ids[4096]!].map((id) => decode(id, { layout: 'uuidv7' }));
    assert.deepEqual(decoded.map((d) => [d.unixMs - T0, d.sequence]), [[0, 4095], [1, 0]]);
  });

  it('sorts with the peers: a Flakery ID made after a uuid v7 and a uuidv7 package ID sorts after them', () => {
    const peers = [v7(), peerUuidv7()];
    const ours = formatId(createGenerator({ layout: 'uuidv7', hardwareId: 'mac', clock: { now: () => Date.now() + 2 } }).next(), 16, 'uuid');
    for (const peer of peers) assert.ok(peer < ours, `${peer} < ${ours}`);
  });

  it('refuses an epoch other than unix, naming the option', () => {
    for (const epoch of ['twitter', 1] as const) {
      assert.throws(
        () => createGenerator({ layout: 'uuidv7', hardwareId: 'mac', epoch }),
        (error) => error instanceof InvalidOptionError && error.option === 'epoch' && /uuidv7 layout.*unix epoch \(0\) only/.test(error.message),
      );
      assert.throws(() => createDecoder({ layout: 'uuidv7', epoch }), InvalidOptionError);
    }
    assert.equal(createGenerator({ layout: 'uuidv7', hardwareId: 'mac', epoch: 'unix' }).epochMs, 0);
    assert.equal(createGenerator({ layout: 'uuidv7', hardwareId: 'mac', epoch: 0 }).epochMs, 0);
  });

  it('refuses snowflake node options and the origin option for layouts no one else makes', () => {
    assert.throws(() => createGenerator({ layout: 'uuidv7', machineId: 1 }), (error) => error instanceof InvalidOptionError && error.option === 'machineId');
    assert.throws(
      () => createDecoder({ layout: 'overt', origin: 'any' }),
      (error) => error instanceof InvalidOptionError && error.option === 'origin' && /uuidv7/.test(error.message),
    );
    assert.throws(() => createDecoder({ layout: 'uuidv7', origin: 'maybe' as never }), (error) => error instanceof InvalidOptionError && /flakery, any/.test(error.message));
  });

  it("reads another generator's UUIDv7 for its time only", () => {
    const before = Date.now();
    for (const id of [v7(), peerUuidv7()]) {
      const fields = decode(id, { layout: 'uuidv7', origin: 'any' });
      assert.equal(fields.node, 'unknown');
      assert.ok(fields.unixMs >= before && fields.unixMs <= Date.now());
      assert.equal('sequence' in fields || 'hardwareId' in fields || 'processId' in fields, false);
    }
  });
});
