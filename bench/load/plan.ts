import type { BenchLayout } from '../serverChild.js';

/** The original overt-flake server (Go), with its default and its Snowflake generator: peers, not Flakery. */
export type PeerLayout = 'go-overt' | 'go-snowflake';
export type CellLayout = BenchLayout | PeerLayout;

export function isPeer(layout: CellLayout): layout is PeerLayout {
  return layout.startsWith('go-');
}

/** One measurement: a listener and layout, IDs per request, connections, requests in flight per connection. */
export interface Cell {
  readonly listener: 'tcp' | 'http';
  readonly layout: CellLayout;
  readonly idsPerRequest: number;
  readonly connections: number;
  /** 1: closed loop (send, wait for the whole answer, send again). More: pipelined. */
  readonly depth: number;
  /**
   * Open loop instead: this many requests a second in all, sent on schedule whatever the
   * answers do, each timed from when it was due (native load generator only).
   */
  readonly ratePerSecond?: number;
}

/** `tcp snowflake 1000×8`, `tcp snowflake 1×64 pipelined×8`: what `--only` matches. */
export function cellLabel(cell: Cell): string {
  const pipelined = cell.depth > 1 ? ` pipelined×${cell.depth}` : '';
  const rate = cell.ratePerSecond === undefined ? '' : ` @${cell.ratePerSecond / 1000}k/s`;
  return `${cell.listener} ${cell.layout} ${cell.idsPerRequest}×${cell.connections}${pipelined}${rate}`;
}

const ID_COUNTS = [1, 16, 1000] as const;
const CONNECTIONS = [1, 8, 64] as const;
const PIPELINE_DEPTH = 8;
/** Snowflakex's requirement: at least 10k IDs/s per node, each answer within 2 ms. */
export const SNOWFLAKEX_RATE = 10_000;

/**
 * The matrix of the issue: snowflake (whose targets these are) over every IDs-per-request ×
 * connections cell, closed loop; the same for single IDs pipelined 8 deep; overt (16-byte IDs)
 * for 1000-ID requests and single IDs at 64 connections; HTTP single IDs at 1, 8 and 64
 * connections; single IDs at Snowflakex's 10k/s, open loop, over TCP and HTTP; and single IDs
 * from a bare Node socket server (`floor`) as the ceiling for any Node server on this machine.
 */
export function defaultPlan(options: { goPeer?: boolean } = {}): Cell[] {
  const cells: Cell[] = [];
  for (const idsPerRequest of ID_COUNTS) {
    for (const connections of CONNECTIONS) cells.push({ listener: 'tcp', layout: 'snowflake', idsPerRequest, connections, depth: 1 });
  }
  for (const connections of CONNECTIONS) {
    cells.push({ listener: 'tcp', layout: 'snowflake', idsPerRequest: 1, connections, depth: PIPELINE_DEPTH });
  }
  for (const connections of CONNECTIONS) cells.push({ listener: 'http', layout: 'snowflake', idsPerRequest: 1, connections, depth: 1 });
  // The Snowflakex requirement as stated: latency at 10k single-ID requests a second.
  for (const listener of ['tcp', 'http'] as const) {
    cells.push({ listener, layout: 'snowflake', idsPerRequest: 1, connections: 64, depth: 1, ratePerSecond: SNOWFLAKEX_RATE });
  }
  if (options.goPeer) {
    // The whole matrix for overt too, and for the Go server's two generators: like for like.
    for (const layout of ['overt', 'go-overt', 'go-snowflake'] as const) {
      for (const idsPerRequest of ID_COUNTS) {
        for (const connections of CONNECTIONS) cells.push({ listener: 'tcp', layout, idsPerRequest, connections, depth: 1 });
      }
    }
  } else {
    cells.push({ listener: 'tcp', layout: 'overt', idsPerRequest: 1, connections: 64, depth: 1 });
    for (const connections of CONNECTIONS) cells.push({ listener: 'tcp', layout: 'overt', idsPerRequest: 1000, connections, depth: 1 });
  }
  // The same load against a bare Node socket server: what the event loop and socket calls
  // cost by themselves, the ceiling for any Node server here.
  for (const connections of CONNECTIONS) cells.push({ listener: 'tcp', layout: 'floor', idsPerRequest: 1, connections, depth: 1 });
  cells.push({ listener: 'http', layout: 'floor', idsPerRequest: 1, connections: 64, depth: 1 });
  cells.push({ listener: 'tcp', layout: 'floor', idsPerRequest: 1, connections: 64, depth: 1, ratePerSecond: SNOWFLAKEX_RATE });
  return cells;
}
