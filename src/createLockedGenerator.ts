import { InvalidOptionError } from './errors.js';
import { Generator } from './generator/Generator.js';
import { nodeGeneratorPlatform } from './machine/nodeGeneratorPlatform.js';
import { HeldNode } from './machine/nodeLock/HeldNode.js';
import type { NodeLockOptions } from './machine/nodeLock/NodeLock.js';
import type { GeneratorOptions } from './options/GeneratorOptions.js';
import { resolveGeneratorConfig } from './options/resolveGeneratorConfig.js';

/** A generator whose node identity is locked on this host until `release`. */
export interface LockedGenerator {
  readonly generator: Generator;
  /** What holds the lock: the abstract socket (`@flakery/…`) or the pid file's path. */
  readonly holder: string;
  /**
   * overt, overt53 without a `processId` option: the pid modulo 2^16 was taken on this host,
   * so the generator uses the next free process id; this says which and why. Else undefined.
   */
  readonly notice: string | undefined;
  /** Stops the generator (it throws `ERR_LEASE_LOST` from then on) and frees the identity. Idempotent. */
  release(): Promise<void>;
}

/**
 * `createGenerator`, plus a host-local lock on the generator's node identity, held until
 * `release()` or the process exits: a second generator with the same snowflake worker id, or
 * the same overt hardware id and process id, in any process on this host (more exactly: in
 * this network namespace) is refused with `ERR_WORKER_ID_IN_USE` / `ERR_NODE_ID_IN_USE`.
 * For overt and overt53 without a `processId` option, a taken pid (two containers that are
 * both pid 1) moves to the next free process id instead, named in `notice`.
 * Node.js only (it binds an abstract unix socket on Linux, writes a pid file elsewhere);
 * `createGenerator` stays synchronous and takes no lock. Custom layouts are refused: their
 * node is opaque to Flakery.
 *
 * ```ts
 * const { generator, release } = await createLockedGenerator({ layout: 'snowflake', machineId: 42 });
 * const id = generator.next();
 * await release();
 * ```
 */
export async function createLockedGenerator(options: GeneratorOptions = {}, lock: NodeLockOptions = {}): Promise<LockedGenerator> {
  const config = resolveGeneratorConfig(options, nodeGeneratorPlatform());
  const held = await HeldNode.lock(config, { automaticProcessId: options.processId === undefined, lock });
  if (held === undefined) {
    throw new InvalidOptionError(
      'layout',
      `createLockedGenerator locks the node of a layout with a node kind (snowflake, overt, overt53, uuidv7); the custom layout ` +
        `${config.layout.name} has none, so Flakery cannot read its node: use createGenerator and keep its node unique yourself`,
    );
  }
  return {
    generator: new Generator(held.apply(config)),
    holder: held.lock.holder,
    notice: held.describeMove(),
    release: () => held.release(),
  };
}
