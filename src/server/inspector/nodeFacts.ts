import type { IdService } from '../IdService.js';
import type { HealthStatus } from '../http/HealthSource.js';

/** What `GET /v1/node` answers: what this node is and whether it can issue IDs now. Never a secret. */
export interface NodeFacts {
  readonly version: string;
  readonly layout: string;
  /** The layout's bits per ID: 64 or 128. */
  readonly idBits: number;
  readonly epochMs: number;
  /** `2017-01-01T00:00:00.000Z`. */
  readonly epoch: string;
  /** The node's fields as `decode` names them: workerId… (snowflake) or hardwareId, processId (overt). */
  readonly node: Readonly<Record<string, string | number>>;
  /** overt layouts: where the hardware id came from (mac, simple, fixed, host). */
  readonly hardwareIdType?: string;
  /** snowflake: `fixed` (a configured machine id) or `lease` (taken from --worker-id-from). */
  readonly workerIdSource?: 'fixed' | 'lease';
  readonly health: { readonly ok: true } | { readonly ok: false; readonly code: string; readonly reason: string };
  readonly startedUnixMs: number;
  readonly uptimeMs: number;
  readonly authRequired: boolean;
}

/** What does not change while the server runs. */
export interface NodeIdentity {
  readonly version: string;
  readonly hardwareIdType?: string | undefined;
  readonly workerIdSource?: 'fixed' | 'lease' | undefined;
  readonly startedUnixMs: number;
  readonly authRequired: boolean;
}

/**
 * The facts of a running node, read afresh on each call: the service's generator (which a worker-id
 * lease may replace with another worker id) and its health (lease, clock, state file).
 */
export function nodeFactsOf(service: IdService, health: () => HealthStatus, identity: NodeIdentity, now: () => number = Date.now): () => NodeFacts {
  return () => {
    const { layout, node, epochMs } = service.generator;
    const status = health();
    return {
      version: identity.version,
      layout: layout.name,
      idBits: layout.byteLength * 8,
      epochMs,
      epoch: new Date(epochMs).toISOString(),
      node: layout.describeNode(node),
      ...(identity.hardwareIdType === undefined ? {} : { hardwareIdType: identity.hardwareIdType }),
      ...(identity.workerIdSource === undefined ? {} : { workerIdSource: identity.workerIdSource }),
      health: status.ok ? { ok: true } : { ok: false, code: status.code, reason: status.reason },
      startedUnixMs: identity.startedUnixMs,
      uptimeMs: now() - identity.startedUnixMs,
      authRequired: identity.authRequired,
    };
  };
}
