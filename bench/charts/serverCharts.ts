/**
 * The server charts, from one `npm run bench:server` run: single-ID requests per second beside
 * the bare Node floor and the original Go server, and IDs per second for batched requests with
 * the snowflake layout's limit drawn in. Go figures come from the run when it had `--peer-go`,
 * otherwise from the last run that had it, labelled with its date.
 */
import { GO_LAST_RUN_DATE, type GoFigure, goLastRun } from '../load/goLastRun.js';
import { type Cell, type CellLayout, isPeer } from '../load/plan.js';
import type { CellResult } from '../load/runCell.js';
import { SNOWFLAKE_MAX_IDS_PER_SECOND } from '../load/targets.js';
import { type Chart, type RunContext, contextLine } from '../RunOutput.js';
import { type Bar, barChart } from '../svg/BarChart.js';
import { formatMillions } from './generationChart.js';

/** One bar's worth of a cell: from this run, or the Go server's last run. */
interface Figure extends Omit<GoFigure, 'layout'> {
  readonly layout: CellLayout;
  readonly listener: Cell['listener'];
}

const LAYOUTS: readonly CellLayout[] = ['snowflake', 'overt', 'floor', 'go-overt', 'go-snowflake'];

function seriesName(layout: CellLayout, goFromRun: boolean): string {
  const go = goFromRun ? 'this run' : `run of ${GO_LAST_RUN_DATE}`;
  switch (layout) {
    case 'snowflake':
      return 'Flakery snowflake';
    case 'overt':
      return 'Flakery overt';
    case 'floor':
      return 'bare Node server (floor)';
    case 'go-overt':
      return `Go overt-flake default (${go})`;
    case 'go-snowflake':
      return `Go overt-flake twitter (${go})`;
  }
}

function figures(results: readonly CellResult[]): { list: Figure[]; goFromRun: boolean } {
  const closed = results.filter((r) => r.cell.depth === 1 && r.cell.ratePerSecond === undefined);
  const list: Figure[] = closed.map(({ cell, requestsPerSecond, idsPerSecond, p99Ms, violations }) => ({
    layout: cell.layout,
    listener: cell.listener,
    idsPerRequest: cell.idsPerRequest,
    connections: cell.connections,
    requestsPerSecond,
    idsPerSecond,
    p99Ms,
    outOfOrder: violations,
  }));
  const goFromRun = list.some((figure) => isPeer(figure.layout));
  if (!goFromRun) list.push(...goLastRun.map(({ layout, ...rest }) => ({ ...rest, layout, listener: 'tcp' as const })));
  return { list, goFromRun };
}

function connectionsText(connections: number): string {
  return `${connections} connection${connections === 1 ? '' : 's'}`;
}

/** Bars for the cells `pick` selects, grouped by listener, IDs per request and connections. */
function barsOf(list: readonly Figure[], goFromRun: boolean, pick: (figure: Figure) => boolean, value: (figure: Figure) => number): Bar[] {
  const chosen = list.filter(pick);
  const keys = [...new Set(chosen.map((f) => `${f.listener} ${f.idsPerRequest} ${f.connections}`))];
  const order = (f: Figure) => [f.listener === 'tcp' ? 0 : 1, f.idsPerRequest, f.connections];
  const groups = keys
    .map((key) => chosen.filter((f) => `${f.listener} ${f.idsPerRequest} ${f.connections}` === key))
    .sort((a, b) => compareTuples(order(a[0]!), order(b[0]!)));
  return groups.flatMap((group) =>
    [...group]
      .sort((a, b) => LAYOUTS.indexOf(a.layout) - LAYOUTS.indexOf(b.layout))
      .map((f) => ({
        group: `${f.listener.toUpperCase()}, ${f.idsPerRequest === 1 ? '1 ID' : `${f.idsPerRequest} IDs`} per request, ${connectionsText(f.connections)}`,
        label: seriesName(f.layout, goFromRun).replace(/ \(.*\)$/, ''),
        series: seriesName(f.layout, goFromRun),
        value: value(f),
        note: `p99 ${f.p99Ms < 1 ? f.p99Ms.toFixed(2) : f.p99Ms.toPrecision(3)} ms${f.outOfOrder > 0 ? `, ${f.outOfOrder.toLocaleString('en-US')} repeats` : ''}`,
      })),
  );
}

function compareTuples(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

export interface ServerRecord {
  readonly context: RunContext;
  readonly settings: {
    readonly durationMs: number;
    readonly warmupMs: number;
    readonly repeats: number;
    readonly load: string;
    readonly observer: string;
    readonly pinned: boolean;
    readonly goPeer: boolean;
  };
  /** Each cell's median run, in the order run. */
  readonly results: readonly CellResult[];
}

export function serverCharts(record: ServerRecord): Chart[] {
  const { context, settings } = record;
  const runLine = `Each cell: median of ${settings.repeats} run(s) of ${settings.durationMs} ms after ${settings.warmupMs} ms warm-up; ${settings.load} load generator.`;
  const { list, goFromRun } = figures(record.results);
  const series = LAYOUTS.map((layout) => seriesName(layout, goFromRun));
  const goNote = goFromRun ? 'Go measured in this run.' : `Go bars: the last run with the Go server (${GO_LAST_RUN_DATE}, quiet machine), not re-measured here.`;
  const single = barChart({
    id: 'bench-server-single',
    title: 'Server: single-ID requests per second, closed loop, over loopback',
    description: `${runLine} ${goNote} Repeats: IDs not above the one before on the connection. ${contextLine(context)}`,
    axisLabel: 'requests (= IDs) per second',
    scale: 'linear',
    format: formatMillions,
    series,
    bars: barsOf(list, goFromRun, (f) => f.idsPerRequest === 1, (f) => f.requestsPerSecond),
  });
  const batched = barChart({
    id: 'bench-server-batches',
    title: 'Server: IDs per second with 16 and 1,000 IDs per request (TCP)',
    description: `${runLine} ${goNote} Log axis; a snowflake node can issue at most 4,096 IDs per millisecond. ${contextLine(context)}`,
    axisLabel: 'IDs per second (log scale)',
    scale: 'log',
    format: formatMillions,
    series,
    bars: barsOf(list, goFromRun, (f) => f.idsPerRequest > 1 && f.listener === 'tcp', (f) => f.idsPerSecond),
    lines: [{ value: SNOWFLAKE_MAX_IDS_PER_SECOND, label: 'snowflake limit 4.096 M/s' }],
  });
  return [
    { file: 'bench-server-single.svg', svg: single },
    { file: 'bench-server-batches.svg', svg: batched },
  ];
}
