/**
 * Anything that hands out IDs: a local generator, a client of a TCP server, (later) an HTTP
 * client. Code that needs IDs takes an IdSource and does not care where they come from; one
 * conformance suite (test/conformance/idSourceConformance.ts) holds every implementation to the
 * same promises: unique, strictly increasing from one source, `idSize` bytes each.
 */
export interface IdSource {
  /** Bytes per ID: 16 for the overt layouts, 8 for snowflake. */
  readonly idSize: number;
  /** One ID as an unsigned integer. */
  next(): Promise<bigint>;
  /** `count` IDs in increasing order; `[]` for 0. */
  nextBatch(count: number): Promise<bigint[]>;
  /** `count` IDs as `count * idSize` big-endian bytes, in increasing order. */
  nextBytes(count: number): Promise<Uint8Array>;
  /** Releases connections or timers; afterwards every call rejects with ERR_CLIENT_CLOSED. */
  close(): Promise<void>;
}
