/**
 * How a generator of a layout learns who it is: which options name its node, and what node
 * the options make. Each layout says its kind, so options are resolved without knowing the
 * layout by name, and a new layout is one file plus the registry.
 *
 * - `worker`: a snowflake-style worker id, from `machineId` (0–1023) or `datacenterId` and
 *   `machineId` (0–31 each). The node is `{ workerId }` (see `SnowflakeNode`).
 * - `hardware+process`: a 6-byte hardware id and a process id, stored modulo
 *   `processIdModulus`. The node is an `OvertNode`.
 *
 * A layout without a node kind takes its node from the `node` option, as it is.
 */
export type NodeKind = WorkerNodeKind | HardwareProcessNodeKind;

export interface WorkerNodeKind {
  readonly kind: 'worker';
}

export interface HardwareProcessNodeKind {
  readonly kind: 'hardware+process';
  /** Process ids are stored modulo this (2^16 for overt, 2^14 for uuidv7). */
  readonly processIdModulus: number;
  /**
   * Where in the ID the node's bits sit, as a short name (letters and digits): layouts that
   * write the same node into the same bits share one (`overt` for overt and overt53) and so
   * one same-host lock; a layout whose node bits can never meet theirs has its own (`uuidv7`).
   */
  readonly idSpace: string;
}
