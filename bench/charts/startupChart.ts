/**
 * The start-up chart, drawn from the run's JSON record: the median wall time of each command as a
 * whole process, beside Node's own floor (`node -e 0`) measured in the same turns, with the
 * target (1.6 × the floor) drawn in.
 */
import { median } from '../measure.js';
import { type Chart, type RunContext, contextLine } from '../RunOutput.js';
import { barChart } from '../svg/BarChart.js';

/** `floor` for `node -e 0`, `flakery` for this build, `compared` for another build (`--compare`). */
export type StartupKind = 'floor' | 'flakery' | 'compared';

export interface StartupRecord {
  readonly context: RunContext;
  readonly settings: { readonly runs: number; readonly targetRatio: number };
  /** Wall times in ms, one per run, in the order run. */
  readonly cases: readonly { readonly name: string; readonly kind: StartupKind; readonly times: readonly number[] }[];
}

const SERIES: Record<StartupKind, string> = { floor: 'node -e 0 (Node’s floor)', flakery: 'flakery', compared: 'flakery, other build (--compare)' };

export function startupCharts(record: StartupRecord): Chart[] {
  const { context, settings, cases } = record;
  const floorMs = median(cases.find((c) => c.kind === 'floor')?.times ?? []);
  const svg = barChart({
    id: 'bench-startup',
    title: 'Start-up: whole flakery processes beside node -e 0',
    description: `Median wall time of ${settings.runs} runs each, the cases taking turns; the range of the runs and the ratio to node -e 0 after it. ${contextLine(context)}`,
    axisLabel: 'milliseconds from spawn to exit',
    scale: 'linear',
    format: (ms) => `${Math.round(ms)} ms`,
    series: Object.values(SERIES),
    bars: cases.map(({ name, kind, times }) => {
      const ms = median(times);
      return {
        label: name,
        value: ms,
        series: SERIES[kind],
        note: `${Math.round(Math.min(...times))}–${Math.round(Math.max(...times))} ms, ${(ms / floorMs).toFixed(2)}×`,
      };
    }),
    lines: [{ value: floorMs * settings.targetRatio, label: `target: ${settings.targetRatio} × node -e 0` }],
  });
  return [{ file: 'bench-startup.svg', svg }];
}
