import { type Generator, createGenerator, formatId } from '../src/index.js';
import { type IdColumns, putBigInt, putBytes, putUuid } from './comparable.js';
import { type Factory, type FlakeryMode, type FlakeryModeKey, PartialRun, factory, recordEach } from './Contender.js';

/** IDs per `fill` call in the byte modes: one millisecond of the snowflake sequence. */
export const FILL_BATCH = 4096;

/** Where timed loops drop their IDs, so no call can be optimised away. */
let sink: unknown;

/** Flakery's `next()`: one bigint per call. */
function nextMode(key: FlakeryModeKey, name: string, gen: Generator, targetPercent?: number): FlakeryMode {
  return perCallMode(key, name, gen, () => gen.next(), putBigInt, targetPercent);
}

/** Flakery's `next()` written as UUID text: one string per call, as the UUIDv7 peers make them. */
function uuidTextMode(key: FlakeryModeKey, name: string, gen: Generator): FlakeryMode {
  return perCallMode(key, name, gen, () => formatId(gen.next(), 16, 'uuid'), putUuid);
}

/** A mode that makes one value per call with `next`, recorded with `put`. */
function perCallMode<T>(
  key: FlakeryModeKey,
  name: string,
  gen: Generator,
  next: () => T,
  put: (ids: IdColumns, index: number, id: T) => void,
  targetPercent?: number,
): FlakeryMode {
  return {
    key,
    name,
    bits: gen.idSize === 8 ? 64 : 128,
    limitPerSecond: limitOf(gen),
    ...(targetPercent === undefined ? {} : { targetPercent }),
    generate(count) {
      let i = 0;
      try {
        for (; i < count; i++) sink = next();
      } catch (error) {
        throw new PartialRun(i, error);
      }
    },
    record(count, ids, at) {
      recordEach(count, ids, at, next, put);
    },
  };
}

/** Flakery's `fill()`: `FILL_BATCH` IDs per call into one reused buffer, as a server does. */
function fillMode(
  key: FlakeryModeKey,
  name: string,
  gen: Generator,
  targetPercent?: number,
): FlakeryMode {
  const size = gen.idSize === 8 ? 8 : 16;
  const buffer = new Uint8Array(FILL_BATCH * size);
  return {
    key,
    name,
    bits: size === 8 ? 64 : 128,
    limitPerSecond: limitOf(gen),
    ...(targetPercent === undefined ? {} : { targetPercent }),
    generate(count) {
      for (let done = 0; done < count; ) {
        const batch = Math.min(FILL_BATCH, count - done);
        try {
          gen.fill(buffer, 0, batch);
        } catch (error) {
          throw new PartialRun(done, error);
        }
        done += batch;
      }
    },
    record(count, ids, at) {
      // One fill for the whole chunk, then the conversion: the IDs are made back to back.
      const bytes = gen.nextBytes(count);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let k = 0; k < count; k++) putBytes(ids, at + k, view, k * size, size);
    },
  };
}

/** IDs per second one generator's sequence allows: 2^sequenceBits per millisecond. */
function limitOf(gen: Generator): number {
  return 2 ** gen.layout.sequenceBits * 1000;
}

/**
 * The Flakery modes, each on a fresh generator: snowflake (worker 42) by `next()` and by `fill`,
 * overt (host hardware id) by `fill` and by `next()`, overt53 by `fill`, uuidv7 by `fill` and
 * as UUID text (beside the uuid and uuidv7 packages, which make text). Targets from the issue:
 * snowflake via bytes ≥ 97 % of the layout's limit, via `next()` ≥ 95 %, overt via bytes ≥ 90 %.
 */
export const flakeryModeFactories: readonly Factory<FlakeryMode>[] = [
  factory('Flakery snowflake next()', (name) => nextMode('snowflake-next', name, snowflake(), 95)),
  factory(`Flakery snowflake fill(${FILL_BATCH})`, (name) => fillMode('snowflake-fill', name, snowflake(), 97)),
  factory(`Flakery overt fill(${FILL_BATCH})`, (name) => fillMode('overt-fill', name, overt('overt'), 90)),
  factory('Flakery overt next()', (name) => nextMode('overt-next', name, overt('overt'))),
  factory(`Flakery overt53 fill(${FILL_BATCH})`, (name) => fillMode('overt53-fill', name, overt('overt53'))),
  factory(`Flakery uuidv7 fill(${FILL_BATCH})`, (name) => fillMode('uuidv7-fill', name, overt('uuidv7'))),
  factory('Flakery uuidv7 next() as UUID text', (name) => uuidTextMode('uuidv7-text', name, overt('uuidv7'))),
];

function snowflake(): Generator {
  return createGenerator({ layout: 'snowflake', machineId: 42 });
}

function overt(layout: 'overt' | 'overt53' | 'uuidv7'): Generator {
  return createGenerator({ layout, hardwareId: 'host' });
}
