import { FlakeryError } from '../../errors.js';
import type { GeneratorConfig } from '../../generator/GeneratorConfig.js';
import type { TimeGate } from '../../generator/TimeGate.js';
import type { OvertNode } from '../../layouts/OvertNode.js';
import type { SnowflakeNode } from '../../layouts/SnowflakeLayout.js';
import { type NodeIdentity, describeNodeIdentity, nodeIdentityInUse } from './NodeIdentity.js';
import { NodeLock, type NodeLockOptions } from './NodeLock.js';

/** How many process ids an automatic one may move up by before giving up: more generators than this with one hardware id on one host is a misconfiguration. */
export const PROCESS_ID_SEARCH = 1024;

export interface LockNodeOptions {
  /**
   * Hardware-id layouts (overt, overt53, uuidv7): the process id was not chosen by the user
   * but defaulted to the pid modulo the layout's range (2^16, 2^14). When that value is taken
   * on this host (two containers that are both pid 1, pids a whole range apart), the next free
   * value is taken instead and reported in `movedFrom`. When false, a taken process id is
   * refused with `ERR_NODE_ID_IN_USE`.
   */
  readonly automaticProcessId: boolean;
  readonly lock?: NodeLockOptions;
}

/**
 * A generator's node identity, locked on this host (see {@link NodeLock}) for as long as the
 * generator runs: the snowflake worker id, or the overt hardware id + process id. `apply` gives
 * the generator config the node actually held and a gate that refuses IDs once the lock is
 * released, since another process may then hold the identity.
 */
export class HeldNode {
  readonly lock: NodeLock;
  /** The process id asked for, when it was taken on this host and `lock` holds another. */
  readonly movedFrom: number | undefined;
  readonly gate: TimeGate;
  #released = false;

  private constructor(lock: NodeLock, movedFrom: number | undefined) {
    this.lock = lock;
    this.movedFrom = movedFrom;
    this.gate = {
      admit: () => {
        if (this.#released) {
          throw new FlakeryError('ERR_LEASE_LOST', `the host lock on ${describeNodeIdentity(lock.identity)} was released: refusing to issue IDs`);
        }
      },
    };
  }

  /**
   * Locks the node of `config`, as its layout's `nodeKind` names it (a worker id; a hardware id
   * and process id in the layout's ID space); undefined for a layout without one, whose node
   * Flakery cannot read. Throws `ERR_WORKER_ID_IN_USE` or `ERR_NODE_ID_IN_USE`.
   */
  static async lock(config: GeneratorConfig<unknown>, options: LockNodeOptions): Promise<HeldNode | undefined> {
    const kind = config.layout.nodeKind;
    switch (kind?.kind) {
      case 'worker':
        return new HeldNode(await NodeLock.acquire({ kind: 'worker', workerId: (config.node as SnowflakeNode).workerId }, options.lock), undefined);
      case 'hardware+process':
        return HeldNode.#lockOvert(config.node as OvertNode, options, kind.idSpace, kind.processIdModulus);
      default:
        return undefined;
    }
  }

  static async #lockOvert(
    { hardwareId, processId }: OvertNode,
    options: LockNodeOptions,
    space: string,
    modulus: number,
  ): Promise<HeldNode> {
    const tries = options.automaticProcessId ? PROCESS_ID_SEARCH : 1;
    let inUse: unknown;
    for (let step = 0; step < tries; step += 1) {
      const identity: NodeIdentity = { kind: 'overt', ...spaceOf(space), hardwareId, processId: (processId + step) % modulus };
      try {
        return new HeldNode(await NodeLock.acquire(identity, options.lock), step === 0 ? undefined : processId);
      } catch (error) {
        if (!(error instanceof FlakeryError && error.code === 'ERR_NODE_ID_IN_USE')) throw error;
        inUse ??= error;
      }
    }
    if (tries === 1) throw inUse;
    const last = (processId + tries - 1) % modulus;
    throw nodeIdentityInUse(
      { kind: 'overt', ...spaceOf(space), hardwareId, processId },
      `so are the next ${tries - 1} process ids (to ${last}), held by other generators with this hardware id`,
    );
  }

  /** The node actually held: the process id may differ from the one asked for (`movedFrom`). */
  node(config: GeneratorConfig<unknown>): unknown {
    const identity = this.lock.identity;
    return identity.kind === 'overt' ? { ...(config.node as OvertNode), processId: identity.processId } : config.node;
  }

  /** `config` with the held node and this lock's gate. */
  apply<T>(config: GeneratorConfig<T>): GeneratorConfig<T> {
    return { ...config, node: this.node(config) as T, gates: [...config.gates, this.gate] };
  }

  /** For stderr and the banner: why the process id is not the pid (undefined when it is as asked). */
  describeMove(): string | undefined {
    const identity = this.lock.identity;
    if (this.movedFrom === undefined || identity.kind !== 'overt') return undefined;
    return (
      `process id ${this.movedFrom} is in use on this host by another generator with this hardware id ` +
      `(containers that are both pid 1, or pids a whole process id range apart): using process id ${identity.processId}`
    );
  }

  /** Stops issuing under the identity (the gate refuses), then releases the lock. Idempotent. */
  async release(): Promise<void> {
    this.#released = true;
    await this.lock.release();
  }
}

/** `overt` is the default space and left out, so an overt identity reads as it always has. */
function spaceOf(space: string): { space?: string } {
  return space === 'overt' ? {} : { space };
}
