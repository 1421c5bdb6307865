import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { type Cell, type CellLayout, cellLabel } from './plan.js';
import type { CellResult } from './runCell.js';
import { type Target, sameCell } from './targets.js';

/** `105.2k`, `3.71M`: rates of very different sizes in one column. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return perSecond.toFixed(0);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0);
}

/** Seconds as µs, one decimal: the server's CPU time per request. */
function formatMicros(seconds: number): string {
  return Number.isFinite(seconds) ? (seconds * 1e6).toFixed(1) : '–';
}

function formatCores(cores: number): string {
  return Number.isFinite(cores) ? `${(cores * 100).toFixed(0)} %` : '–';
}

export function machineLines(): string[] {
  const list = cpus();
  const load = loadavg()[0] ?? 0;
  return [
    `Machine: ${list[0]?.model.trim() ?? 'unknown CPU'}, ${list.length} cores (${availableParallelism()} available), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `Node ${process.version} on ${type()} ${release()} ${process.arch}; 1-minute load average ${load.toFixed(2)}`,
  ];
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly number[]): string {
  const separator = header.map((_, i) => (rightAligned.includes(i) ? '---:' : '---'));
  return [header, separator, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** One line of progress per cell, for stderr while the run goes on. */
export function progressLine(result: CellResult): string {
  return (
    `${cellLabel(result.cell)}: ${formatRate(result.requestsPerSecond)} req/s, ${formatRate(result.idsPerSecond)} IDs/s, ` +
    `p50 ${formatMs(result.p50Ms)} ms, p99 ${formatMs(result.p99Ms)} ms, server ${formatCores(result.serverCores)}, ` +
    `load ${formatCores(result.loadCores)}, other ${formatCores(result.otherCores)}, out of order ${result.violations}, errors ${result.errors}`
  );
}

/** The measured matrix: one row per cell, in the order run. */
export function matrixTable(results: readonly CellResult[]): string {
  const header = [
    'listener',
    'layout',
    'IDs/req',
    'conns',
    'in flight/conn',
    'req/s',
    'IDs/s',
    'spread',
    'p50 ms',
    'p99 ms',
    'max ms',
    'server CPU',
    'server µs/req',
    'load CPU',
    'other CPU',
    'out of order',
    'errors',
  ];
  const rows = results.map((r) => [
    r.cell.listener.toUpperCase(),
    r.cell.layout,
    String(r.cell.idsPerRequest),
    String(r.cell.connections),
    r.cell.ratePerSecond !== undefined ? `open loop, ${formatRate(r.cell.ratePerSecond)}/s` : r.cell.depth === 1 ? '1' : `${r.cell.depth} (pipelined)`,
    formatRate(r.requestsPerSecond),
    formatRate(r.idsPerSecond),
    `${(r.spread * 100).toFixed(0)} %`,
    formatMs(r.p50Ms),
    formatMs(r.p99Ms),
    formatMs(r.maxMs),
    formatCores(r.serverCores),
    formatMicros(r.serverCores / r.requestsPerSecond),
    formatCores(r.loadCores),
    formatCores(r.otherCores),
    String(r.violations),
    String(r.errors),
  ]);
  return table(header, rows, [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
}

/** Each target beside its measurement; cells not run in this run say so. */
export function targetTable(targets: readonly Target[], results: readonly CellResult[]): string {
  const header = ['cell', 'Go overt-flake (reference from the issue, not measured here)', 'Flakery target', 'measured', 'met'];
  const rows = targets.map((target) => {
    const result = results.find((r) => sameCell(r.cell, target.cell));
    const measured =
      result === undefined
        ? 'not run'
        : `${target.cell.idsPerRequest === 1 ? `${formatRate(result.requestsPerSecond)} req/s` : `${formatRate(result.idsPerSecond)} IDs/s`}, p99 ${formatMs(result.p99Ms)} ms`;
    const met = result === undefined ? '–' : target.met(result) ? 'yes' : '**no**';
    return [cellLabel(target.cell), target.goReference ?? '–', target.goal, measured, met];
  });
  return table(header, rows, []);
}

/**
 * Flakery beside the Go server, cell by cell, both measured in this run with the same load
 * generator: `ours` against `peer` (overt against Go's default generator, snowflake against
 * its twitter one). Ratio: Flakery's figure over Go's (IDs/s; above 1 is Flakery ahead).
 */
export function peerTable(results: readonly CellResult[], pairs: readonly (readonly [CellLayout, CellLayout])[]): string {
  const header = ['IDs/req × conns', 'Flakery', 'req/s', 'p99 ms', 'out of order', 'Go overt-flake', 'req/s', 'p99 ms', 'out of order', 'Flakery / Go'];
  const rows: string[][] = [];
  const find = (cell: Cell, layout: CellLayout) =>
    results.find((r) => r.cell.layout === layout && r.cell.listener === 'tcp' && r.cell.idsPerRequest === cell.idsPerRequest && r.cell.connections === cell.connections && r.cell.depth === 1 && r.cell.ratePerSecond === undefined);
  for (const [ours, peer] of pairs) {
    for (const result of results) {
      if (result.cell.layout !== peer || result.cell.depth !== 1 || result.cell.ratePerSecond !== undefined) continue;
      const mine = find(result.cell, ours);
      if (mine === undefined) continue;
      rows.push([
        `${result.cell.idsPerRequest} × ${result.cell.connections}`,
        ours,
        formatRate(mine.requestsPerSecond),
        formatMs(mine.p99Ms),
        String(mine.violations),
        peer === 'go-overt' ? 'default (overt)' : 'twitter (snowflake)',
        formatRate(result.requestsPerSecond),
        formatMs(result.p99Ms),
        String(result.violations),
        `${(mine.idsPerSecond / result.idsPerSecond).toFixed(2)}×`,
      ]);
    }
  }
  return table(header, rows, [2, 3, 4, 6, 7, 8, 9]);
}
