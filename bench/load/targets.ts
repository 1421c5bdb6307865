import { type Cell, SNOWFLAKEX_RATE } from './plan.js';
import type { CellResult } from './runCell.js';

/** The snowflake sequence space: 4,096 IDs per millisecond, the most one node can hand out. */
export const SNOWFLAKE_MAX_IDS_PER_SECOND = 4_096_000;

/**
 * One target of the issue, for one cell: the Go figure it gave (measured earlier on this
 * machine with the original overt-flake server, not in this run) and Flakery's goal.
 */
export interface Target {
  readonly cell: Cell;
  /** The original Go server's figure, as the issue gives it; absent where it gave none. */
  readonly goReference?: string;
  /** Flakery's goal, in words. */
  readonly goal: string;
  /** Whether a measurement meets the goal. */
  readonly met: (result: CellResult) => boolean;
}

const tcp = (idsPerRequest: number, connections: number): Cell => ({
  listener: 'tcp',
  layout: 'snowflake',
  idsPerRequest,
  connections,
  depth: 1,
});

const ninetyPercent = 0.9 * SNOWFLAKE_MAX_IDS_PER_SECOND;

/** The targets, all for snowflake, closed loop (1 request in flight per connection). */
export const targets: readonly Target[] = [
  { cell: tcp(1, 1), goReference: '~28k req/s', goal: '> 28k req/s', met: (r) => r.requestsPerSecond > 28_000 },
  { cell: tcp(1, 8), goReference: '~100k req/s', goal: '> 100k req/s', met: (r) => r.requestsPerSecond > 100_000 },
  {
    cell: tcp(1, 64),
    goReference: '~105k req/s, p99 4.9 ms',
    goal: '> 105k req/s and p99 ≤ 1 ms',
    met: (r) => r.requestsPerSecond > 105_000 && r.p99Ms <= 1,
  },
  { cell: tcp(16, 8), goReference: '~1.5M IDs/s', goal: '> 1.5M IDs/s', met: (r) => r.idsPerSecond > 1_500_000 },
  { cell: tcp(1000, 1), goal: '≥ 3.69M IDs/s (90 % of 4.096M)', met: (r) => r.idsPerSecond >= ninetyPercent },
  {
    cell: tcp(1000, 8),
    goReference: '2.5–4.0M IDs/s, p99 ~8 ms',
    goal: '≥ 3.69M IDs/s (90 % of 4.096M) and p99 < 8 ms',
    met: (r) => r.idsPerSecond >= ninetyPercent && r.p99Ms < 8,
  },
  { cell: tcp(1000, 64), goal: '≥ 3.69M IDs/s (90 % of 4.096M)', met: (r) => r.idsPerSecond >= ninetyPercent },
  {
    cell: { listener: 'http', layout: 'snowflake', idsPerRequest: 1, connections: 64, depth: 1 },
    goal: 'p99 ≤ 2 ms',
    met: (r) => r.p99Ms <= 2,
  },
  ...(['tcp', 'http'] as const).map(
    (listener): Target => ({
      cell: { listener, layout: 'snowflake', idsPerRequest: 1, connections: 64, depth: 1, ratePerSecond: SNOWFLAKEX_RATE },
      goal: 'Snowflakex: 10k IDs/s with p99 ≤ 2 ms',
      met: (r) => r.p99Ms <= 2 && r.requestsPerSecond >= 0.99 * SNOWFLAKEX_RATE && r.errors === 0,
    }),
  ),
];

export function sameCell(a: Cell, b: Cell): boolean {
  return (
    a.listener === b.listener &&
    a.layout === b.layout &&
    a.idsPerRequest === b.idsPerRequest &&
    a.connections === b.connections &&
    a.depth === b.depth &&
    a.ratePerSecond === b.ratePerSecond
  );
}
