import type { ErrorCode } from '../../errors.js';

/** Whether the server can hand out IDs now; the shape of `IdService.health()`. */
export type HealthStatus =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      /** For the operator: why not. */
      readonly reason: string;
      /** When trying again may succeed; absent when waiting alone will not help. */
      readonly retryAfterMs?: number;
    };

/**
 * A check `/healthz` runs on each request: the IdService's (clock behind, `waitFor`), and any
 * the server adds (a worker-id lease, a state file). Must be cheap and must not throw.
 */
export type HealthSource = () => HealthStatus;

/** The first failing source's status, or ok. A source that throws counts as failing. */
export function checkHealth(sources: readonly HealthSource[]): HealthStatus {
  for (const source of sources) {
    let status: HealthStatus;
    try {
      status = source();
    } catch (error) {
      return { ok: false, code: 'ERR_INTERNAL', reason: `health check failed: ${(error as Error)?.message ?? String(error)}` };
    }
    if (!status.ok) return status;
  }
  return { ok: true };
}
