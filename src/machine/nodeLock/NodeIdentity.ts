import { createHash } from 'node:crypto';
import { FlakeryError, InvalidOptionError } from '../../errors.js';
import { HARDWARE_ID_BYTES, PROCESS_ID_MODULUS } from '../../layouts/OvertNode.js';
import { checkWorkerId } from '../workerId/workerIdRange.js';

/**
 * What names a generator in the IDs it issues, and so what two generators must never share:
 * a snowflake worker id, or an overt node — the hardware id and the 16-bit process id that
 * `overt` and `overt53` both write into their lower 64 bits. The two overt layouts share one
 * identity on purpose: an `overt` and an `overt53` generator with the same node would issue
 * the same lower half, and nothing about the upper half keeps them apart forever.
 *
 * A state file (`--state-file`, by its canonical path) is locked the same way: two nodes writing
 * one high-water mark overwrite each other's, so a node whose clock ran ahead can lose its mark
 * to a lower one and repeat its IDs after a restart with the clock set right.
 */
export type NodeIdentity =
  | { readonly kind: 'worker'; readonly workerId: number }
  | {
      readonly kind: 'overt';
      readonly hardwareId: Uint8Array;
      readonly processId: number;
      /**
       * Which ID space the node writes (its layout's `nodeKind.idSpace`): `overt` (overt and
       * overt53, 16-bit process ids) or `uuidv7` (its rand_b bits, 14-bit process ids). Nodes of
       * different spaces never share an ID, so they are locked apart. Default `overt`.
       */
      readonly space?: string;
    }
  | { readonly kind: 'stateFile'; readonly path: string };

/** Checks an identity's fields once, so the lock's names and messages can trust them. */
export function checkNodeIdentity(identity: NodeIdentity): NodeIdentity {
  if (identity.kind === 'worker') return { kind: 'worker', workerId: checkWorkerId(identity.workerId, 'machineId') };
  if (identity.kind === 'stateFile') return { kind: 'stateFile', path: identity.path };
  if (!(identity.hardwareId instanceof Uint8Array) || identity.hardwareId.length !== HARDWARE_ID_BYTES) {
    throw new InvalidOptionError('hardwareId', `hardwareId must be exactly ${HARDWARE_ID_BYTES} bytes`);
  }
  const { processId } = identity;
  if (!Number.isInteger(processId) || processId < 0 || processId >= PROCESS_ID_MODULUS) {
    throw new InvalidOptionError('processId', `processId must be an integer from 0 to ${PROCESS_ID_MODULUS - 1}; got ${processId}`);
  }
  if (identity.space !== undefined && !/^[a-z0-9]{1,16}$/.test(identity.space)) {
    throw new InvalidOptionError('idSpace', `a node kind's idSpace must be 1 to 16 lowercase letters or digits; got ${JSON.stringify(identity.space)}`);
  }
  return { kind: 'overt', hardwareId: identity.hardwareId.slice(), processId, ...(identity.space ? { space: identity.space } : {}) };
}

/**
 * The identity as the parts of a lock's name: `['worker', '<id>']` (as the worker id lock has
 * always been named, so older and newer versions on one host see each other) or
 * `['overt', '<12 hex digits>', '<process id>']` (`uuidv7` in place of `overt` for that space),
 * or `['state', '<32 hex digits of the path's SHA-256>']` (a path may be longer than a socket name).
 */
export function nodeIdentityParts(identity: NodeIdentity): readonly [kind: string, ...id: string[]] {
  if (identity.kind === 'worker') return ['worker', String(identity.workerId)];
  if (identity.kind === 'stateFile') return ['state', createHash('sha256').update(identity.path).digest('hex').slice(0, 32)];
  return [identity.space ?? 'overt', hex(identity.hardwareId), String(identity.processId)];
}

/** For messages: `worker id 7`, `hardware id 0242ac110002 with process id 1`, `state file /var/lib/x`. */
export function describeNodeIdentity(identity: NodeIdentity): string {
  if (identity.kind === 'worker') return `worker id ${identity.workerId}`;
  if (identity.kind === 'stateFile') return `state file ${identity.path}`;
  return `hardware id ${hex(identity.hardwareId)} with process id ${identity.processId}`;
}

/**
 * `ERR_WORKER_ID_IN_USE`, `ERR_NODE_ID_IN_USE` or (a state file) `ERR_STATE_FILE`: another
 * process on this host holds `identity`.
 */
export function nodeIdentityInUse(identity: NodeIdentity, detail: string): FlakeryError {
  if (identity.kind === 'stateFile') {
    return new FlakeryError(
      'ERR_STATE_FILE',
      `state file ${identity.path} (--state-file) is already in use on this host: ${detail}. Two nodes writing one ` +
        'high-water mark overwrite each other\'s, and a restart can then repeat IDs; give each node its own --state-file',
    );
  }
  if (identity.kind === 'worker') {
    return new FlakeryError(
      'ERR_WORKER_ID_IN_USE',
      `worker id ${identity.workerId} is already in use on this host: ${detail}. Two generators with one worker id ` +
        'would issue duplicate IDs; give each process its own id (machineId, --worker-id-from)',
    );
  }
  return new FlakeryError(
    'ERR_NODE_ID_IN_USE',
    `${describeNodeIdentity(identity)} is already in use on this host: ${detail}. Two generators with one hardware id ` +
      'and process id would issue duplicate IDs; leave processId unset (a free one is then chosen) or give each ' +
      'process its own processId or hardware id',
  );
}

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}
