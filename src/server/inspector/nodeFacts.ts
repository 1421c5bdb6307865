import type { IdService } from '../IdService.js';
import type { HealthStatus } from '../http/HealthSource.js';
import type { NodeFacts } from './inspectorWire.js';

export type { NodeFacts } from './inspectorWire.js';

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
