import { Snowflake as SapphireSnowflake } from '@sapphire/snowflake';
import FlakeId from 'flake-idgen';
import { Snowflake as WasmSnowflake } from 'nodejs-snowflake';
import { monotonicFactory } from 'ulid';
import { v7 as uuidV7 } from 'uuid';
import { uuidv7 } from 'uuidv7';
import { type IdColumns, putBigInt, putUlid, putUuid } from './comparable.js';
import { type Factory, PartialRun, type Peer, factory, recordEach } from './Contender.js';

/** Twitter's epoch, which Flakery's snowflake layout uses by default; given to every 64-bit peer. */
const TWITTER_EPOCH_MS = 1288834974657;
/** Worker 42 everywhere (Flakery's `machineId: 42`). */
const WORKER_ID = 42;

/** Where timed loops drop their IDs, so no call can be optimised away. */
let sink: unknown;

function putBuffer(ids: IdColumns, index: number, id: Buffer): void {
  ids.hi[index] = 0n;
  ids.lo[index] = id.readBigUInt64BE(0);
}

/** flake-idgen's synchronous `next()`, as its README shows it: it throws on the 4,097th ID of a ms. */
function flakeIdgen(name: string): Peer {
  const gen = new FlakeId({ id: WORKER_ID, epoch: TWITTER_EPOCH_MS });
  return {
    name,
    bits: 64,
    reference: 'snowflake-next',
    generate(count) {
      let i = 0;
      try {
        for (; i < count; i++) sink = gen.next();
      } catch (error) {
        throw new PartialRun(i, error);
      }
    },
    record(count, ids, at) {
      recordEach(count, ids, at, () => gen.next(), putBuffer);
    },
  };
}

/**
 * flake-idgen's `next()` retried while it throws "Sequence exceeded": what a user who needs IDs
 * synchronously has to write (the callback form waits with setTimeout, which is slower still).
 */
function flakeIdgenRetrying(name: string): Peer {
  const gen = new FlakeId({ id: WORKER_ID, epoch: TWITTER_EPOCH_MS });
  const next = (): Buffer => {
    for (;;) {
      try {
        return gen.next();
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('Sequence exceeded'))) throw error;
      }
    }
  };
  return {
    name,
    bits: 64,
    reference: 'snowflake-next',
    generate(count) {
      let i = 0;
      try {
        for (; i < count; i++) sink = next();
      } catch (error) {
        throw new PartialRun(i, error);
      }
    },
    record(count, ids, at) {
      recordEach(count, ids, at, next, putBuffer);
    },
  };
}

/** @sapphire/snowflake's `generate()`, worker 1 and process 10 (= 42 in 10 bits). */
function sapphire(name: string): Peer {
  const gen = new SapphireSnowflake(TWITTER_EPOCH_MS);
  gen.workerId = WORKER_ID >> 5;
  gen.processId = WORKER_ID & 31;
  return {
    name,
    bits: 64,
    reference: 'snowflake-next',
    generate(count) {
      let i = 0;
      try {
        for (; i < count; i++) sink = gen.generate();
      } catch (error) {
        throw new PartialRun(i, error);
      }
    },
    record(count, ids, at) {
      recordEach(count, ids, at, () => gen.generate(), putBigInt);
    },
  };
}

/** nodejs-snowflake (Rust via WASM) `getUniqueID()`. Its typings say `BigInt`; it returns a bigint. */
function nodejsSnowflake(name: string): Peer {
  const gen = new WasmSnowflake({ custom_epoch: TWITTER_EPOCH_MS, instance_id: WORKER_ID });
  const next = (): bigint => gen.getUniqueID() as unknown as bigint;
  return {
    name,
    bits: 64,
    reference: 'snowflake-next',
    generate(count) {
      let i = 0;
      try {
        for (; i < count; i++) sink = gen.getUniqueID();
      } catch (error) {
        throw new PartialRun(i, error);
      }
    },
    record(count, ids, at) {
      recordEach(count, ids, at, next, putBigInt);
    },
  };
}

/** uuid's `v7()`: a UUID string; monotonic within the process. */
function uuid(name: string): Peer {
  return {
    name,
    bits: 128,
    reference: 'uuidv7-text',
    generate(count) {
      let i = 0;
      try {
        for (; i < count; i++) sink = uuidV7();
      } catch (error) {
        throw new PartialRun(i, error);
      }
    },
    record(count, ids, at) {
      recordEach(count, ids, at, () => uuidV7(), putUuid);
    },
  };
}

/** uuidv7's `uuidv7()`: a UUID string with a 42-bit counter. */
function uuidv7Package(name: string): Peer {
  return {
    name,
    bits: 128,
    reference: 'uuidv7-text',
    generate(count) {
      let i = 0;
      try {
        for (; i < count; i++) sink = uuidv7();
      } catch (error) {
        throw new PartialRun(i, error);
      }
    },
    record(count, ids, at) {
      recordEach(count, ids, at, () => uuidv7(), putUuid);
    },
  };
}

/** ulid's `monotonicFactory()`: a 26-character ULID string, incremented within a millisecond. */
function ulid(name: string): Peer {
  const next = monotonicFactory();
  return {
    name,
    bits: 128,
    reference: 'overt-fill',
    generate(count) {
      let i = 0;
      try {
        for (; i < count; i++) sink = next();
      } catch (error) {
        throw new PartialRun(i, error);
      }
    },
    record(count, ids, at) {
      recordEach(count, ids, at, () => next(), putUlid);
    },
  };
}

export const peerFactories: readonly Factory<Peer>[] = [
  factory('flake-idgen next()', flakeIdgen),
  factory('flake-idgen next(), retried on overflow', flakeIdgenRetrying),
  factory('@sapphire/snowflake generate()', sapphire),
  factory('nodejs-snowflake getUniqueID()', nodejsSnowflake),
  factory('uuid v7()', uuid),
  factory('uuidv7 uuidv7()', uuidv7Package),
  factory('ulid monotonicFactory()()', ulid),
];
