import type { BenchLayout } from '../serverChild.js';

/** One measurement: a listener and layout, IDs per request, connections, requests in flight per connection. */
export interface Cell {
  readonly listener: 'tcp' | 'http';
  readonly layout: BenchLayout;
  readonly idsPerRequest: number;
  readonly connections: number;
  /** 1: closed loop (send, wait for the whole answer, send again). More: pipelined. */
  readonly depth: number;
}

/** `tcp snowflake 1000×8`, `tcp snowflake 1×64 pipelined×8`: what `--only` matches. */
export function cellLabel(cell: Cell): string {
  const pipelined = cell.depth > 1 ? ` pipelined×${cell.depth}` : '';
  return `${cell.listener} ${cell.layout} ${cell.idsPerRequest}×${cell.connections}${pipelined}`;
}

const ID_COUNTS = [1, 16, 1000] as const;
const CONNECTIONS = [1, 8, 64] as const;
const PIPELINE_DEPTH = 8;

/**
 * The matrix of the issue: snowflake (whose targets these are) over every IDs-per-request ×
 * connections cell, closed loop; the same for single IDs pipelined 8 deep; overt (16-byte IDs)
 * for 1000-ID requests and single IDs at 64 connections; HTTP single IDs at 1, 8 and 64
 * connections; and single IDs from a bare Node socket server (`floor`) as the ceiling for any
 * Node server on this machine. About 24 cells of 3.5 s: well under the 5-minute budget.
 */
export function defaultPlan(): Cell[] {
  const cells: Cell[] = [];
  for (const idsPerRequest of ID_COUNTS) {
    for (const connections of CONNECTIONS) cells.push({ listener: 'tcp', layout: 'snowflake', idsPerRequest, connections, depth: 1 });
  }
  for (const connections of CONNECTIONS) {
    cells.push({ listener: 'tcp', layout: 'snowflake', idsPerRequest: 1, connections, depth: PIPELINE_DEPTH });
  }
  for (const connections of CONNECTIONS) cells.push({ listener: 'http', layout: 'snowflake', idsPerRequest: 1, connections, depth: 1 });
  cells.push({ listener: 'tcp', layout: 'overt', idsPerRequest: 1, connections: 64, depth: 1 });
  for (const connections of CONNECTIONS) cells.push({ listener: 'tcp', layout: 'overt', idsPerRequest: 1000, connections, depth: 1 });
  // The same load against a bare Node socket server: what the event loop and socket calls
  // cost by themselves, the ceiling for any Node server here.
  for (const connections of CONNECTIONS) cells.push({ listener: 'tcp', layout: 'floor', idsPerRequest: 1, connections, depth: 1 });
  cells.push({ listener: 'http', layout: 'floor', idsPerRequest: 1, connections: 64, depth: 1 });
  return cells;
}
