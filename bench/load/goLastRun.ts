/**
 * The original Go server's figures from the last run that had it (`npm run bench:server --
 * --peer-go=…` on 2026-11-22, commit 9b4df4d, the project's 2-core VM, nothing else running, Go
 * server built with Go 1.19.8 from github.com/gotomgo/overt-flake). The binary is not on the
 * machine now, so the server charts show these, labelled with their date, beside a run without
 * `--peer-go`; a run with `--peer-go` shows its own.
 */
import type { PeerLayout } from './plan.js';

export const GO_LAST_RUN_DATE = '2026-11-22';

export interface GoFigure {
  readonly layout: PeerLayout;
  readonly idsPerRequest: number;
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly idsPerSecond: number;
  readonly p99Ms: number;
  /** IDs not above the one before on the connection: repeats, for this server. */
  readonly outOfOrder: number;
}

const row = (
  layout: PeerLayout,
  idsPerRequest: number,
  connections: number,
  requestsPerSecond: number,
  idsPerSecond: number,
  p99Ms: number,
  outOfOrder: number,
): GoFigure => ({ layout, idsPerRequest, connections, requestsPerSecond, idsPerSecond, p99Ms, outOfOrder });

/** TCP, closed loop, as printed by that run (rates rounded as the report printed them). */
export const goLastRun: readonly GoFigure[] = [
  row('go-overt', 1, 1, 22_900, 22_900, 0.111, 161_873),
  row('go-overt', 1, 8, 58_800, 58_800, 0.434, 385_453),
  row('go-overt', 1, 64, 74_800, 74_800, 2.91, 176_154),
  row('go-overt', 16, 1, 23_700, 379_100, 0.101, 158_498),
  row('go-overt', 16, 8, 64_300, 1_030_000, 0.323, 409_063),
  row('go-overt', 16, 64, 86_600, 1_390_000, 4.7, 214_159),
  row('go-overt', 1000, 1, 2_100, 2_130_000, 1.81, 8_589),
  row('go-overt', 1000, 8, 3_300, 3_250_000, 8.78, 908),
  row('go-overt', 1000, 64, 4_100, 4_060_000, 36.0, 44),
  row('go-snowflake', 1, 1, 22_300, 22_300, 0.113, 166_164),
  row('go-snowflake', 1, 8, 54_000, 54_000, 0.42, 325_498),
  row('go-snowflake', 1, 64, 74_000, 74_000, 4.82, 158_245),
  row('go-snowflake', 16, 1, 18_600, 297_600, 0.118, 147_166),
  row('go-snowflake', 16, 8, 52_700, 843_600, 0.56, 322_974),
  row('go-snowflake', 16, 64, 70_800, 1_130_000, 4.62, 156_971),
  row('go-snowflake', 1000, 1, 2_100, 2_150_000, 0.83, 9_149),
  row('go-snowflake', 1000, 8, 4_200, 4_210_000, 6.38, 1_915),
  row('go-snowflake', 1000, 64, 4_600, 4_560_000, 34.58, 66),
];
