import { FlakeryError } from '../errors.js';

/**
 * The index of the first ID in `bytes` (IDs of `size` bytes) that is not above the one before
 * it, the first compared with `previous` (the last ID this connection received, if any), as
 * unsigned big-endian bytes; -1 when all increase strictly.
 *
 * A server sends each answer's IDs in increasing order and, on one connection, each answer
 * above the last: the protocol promises it (one generator, strictly increasing). An answer
 * that breaks it comes from a faulty or hostile server, and may repeat IDs already handed out.
 */
export function firstOutOfOrder(bytes: Uint8Array, size: number, previous: Uint8Array | undefined): number {
  if (previous !== undefined && bytes.length > 0 && !above(bytes, 0, previous, 0, size)) return 0;
  for (let at = size; at < bytes.length; at += size) {
    if (!above(bytes, at, bytes, at - size, size)) return at / size;
  }
  return -1;
}

/** Whether the ID at `bytes[at…]` is above the one at `other[otherAt…]`. */
function above(bytes: Uint8Array, at: number, other: Uint8Array, otherAt: number, size: number): boolean {
  for (let i = 0; i < size; i++) {
    const a = bytes[at + i]!;
    const b = other[otherAt + i]!;
    if (a !== b) return a > b;
  }
  return false;
}

/** The refusal of an answer whose ID `index` is out of order. */
export function outOfOrder(address: string, index: number): FlakeryError {
  const which = index === 0 ? 'the first ID of its answer is not above the last ID it sent before' : `ID ${index} of its answer is not above the one before it`;
  return new FlakeryError(
    'ERR_IDS_OUT_OF_ORDER',
    `${address} sent IDs out of order (${which}): a server's IDs increase strictly, so these may repeat IDs already handed out; ` +
      'the answer is refused and the connection dropped. The server is faulty, or is not an ID server',
  );
}
