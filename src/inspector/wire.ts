// What the page reads from the server: GET /v1/node, GET /v1/stats, GET /v1/ids (docs/http.md).

export interface NodeInfo {
  readonly version: string;
  readonly layout: string;
  readonly idBits: number;
  readonly epochMs: number;
  readonly epoch: string;
  readonly node: Readonly<Record<string, string | number>>;
  readonly hardwareIdType?: string;
  readonly workerIdSource?: string;
  readonly health: { readonly ok: boolean; readonly code?: string; readonly reason?: string };
  readonly startedUnixMs: number;
  readonly uptimeMs: number;
  readonly authRequired: boolean;
}

export interface Sample {
  readonly t: number;
  readonly ids: number;
  readonly requests: number;
  readonly refusals: Readonly<Record<string, number>>;
  readonly p99Ms: number | null;
}

export interface Stats {
  readonly intervalMs: number;
  readonly samples: readonly Sample[];
}

export interface IdsAnswer {
  readonly ids: readonly string[];
}
