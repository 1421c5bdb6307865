/**
 * The lower 64 bits shared by the overt-flake layouts: who made the ID.
 *
 * ```
 *  63                                              16 15                 0
 * +--------------------------------------------------+-------------------+
 * |  hardware id: 48 bits (6 bytes)                   |  process id: 16   |
 * +--------------------------------------------------+-------------------+
 * ```
 */
export const HARDWARE_ID_BYTES = 6;
export const PROCESS_ID_BITS = 16;
/** Process ids are stored modulo 2^16. */
export const PROCESS_ID_MODULUS = 2 ** PROCESS_ID_BITS;

export interface OvertNode {
  /** Exactly 6 bytes. */
  readonly hardwareId: Uint8Array;
  /** 0–65535: the operating system's pid modulo 2^16. */
  readonly processId: number;
}

/** The lower 64 bits of an overt ID as two big-endian 32-bit words. */
export function overtNodeWords(node: OvertNode): readonly [number, number] {
  const h = node.hardwareId;
  const word0 = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
  const word1 = ((h[4]! << 24) | (h[5]! << 16) | node.processId) >>> 0;
  return [word0, word1];
}

export function readOvertNode(bytes: Uint8Array, offset: number): OvertNode {
  const at = offset + 8;
  return {
    hardwareId: bytes.slice(at, at + HARDWARE_ID_BYTES),
    processId: (bytes[at + 6]! << 8) | bytes[at + 7]!,
  };
}

export function describeOvertNode(node: OvertNode): Readonly<Record<string, string | number>> {
  let hex = '';
  for (const byte of node.hardwareId) hex += byte.toString(16).padStart(2, '0');
  return { hardwareId: hex, processId: node.processId };
}
