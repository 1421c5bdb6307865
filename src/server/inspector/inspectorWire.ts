import type { RequestOutcome } from '../ServerObserver.js';

// The JSON the inspector page reads: `GET /v1/node` and `GET /v1/stats` (docs/http.md). Types
// only, shared by the server that writes it and the page that reads it.

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

/** One second of the server's work, as the inspector page draws it. */
export interface StatsSample {
  /** The second, in Unix seconds. */
  readonly t: number;
  /** IDs issued in it, over all listeners. */
  readonly ids: number;
  /** Requests finished in it, over all listeners and outcomes. */
  readonly requests: number;
  /** Requests that did not end `ok`, by outcome (only outcomes that occurred). */
  readonly refusals: Readonly<Partial<Record<RequestOutcome, number>>>;
  /** The 99th percentile of the latencies of the requests finished in it, in ms; null without any. */
  readonly p99Ms: number | null;
}

/** What `GET /v1/stats` answers: the last minutes, oldest second first. */
export interface StatsAnswer {
  readonly intervalMs: number;
  readonly samples: readonly StatsSample[];
}
