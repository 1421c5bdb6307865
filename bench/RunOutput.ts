/**
 * Where a benchmark leaves its results: the run as JSON in bench/results/ (generated, not
 * committed: a record of the last run on this checkout, which the charts can be drawn from
 * again), and, with `--write-docs`, its charts as SVG in docs/img/ (committed: the figures
 * docs/benchmarks.md shows, each drawn by the script from a real run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The repository root, from build/bench/ where this module runs. */
const root = new URL('../../', import.meta.url);

export interface Chart {
  /** File name in docs/img/, e.g. `bench-generation.svg`. */
  readonly file: string;
  readonly svg: string;
}

/** The machine and its load: every run records them, every chart prints them. */
export interface RunContext {
  /** ISO date of the run, UTC. */
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** 1-minute load averages at the start and the end of the run. */
  readonly loadAtStart: number;
  readonly loadAtEnd: number;
}

export function currentLoad(): number {
  return loadavg()[0] ?? 0;
}

export function runContext(loadAtStart: number): RunContext {
  return {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `Linux ${release()}`,
    loadAtStart,
    loadAtEnd: currentLoad(),
  };
}

/** One line for a chart: `2026-11-30, AMD EPYC (2 cores), Node v20.20.2, load average 6.4 → 7.1`. */
export function contextLine(context: RunContext): string {
  const shared = Math.max(context.loadAtStart, context.loadAtEnd) > context.cores ? ' (machine shared with other work)' : '';
  return (
    `${context.date}, ${context.cpu.replace(/ \d+-Core Processor$/, '')} (${context.cores} cores), Node ${context.node}, ` +
    `1-minute load average ${context.loadAtStart.toFixed(1)} → ${context.loadAtEnd.toFixed(1)}${shared}.`
  );
}

/**
 * Writes `record` to bench/results/NAME.json and, when `writeDocs`, each chart to docs/img/.
 * Returns the paths written, for the progress line.
 */
export function writeRunOutput(name: string, record: unknown, charts: readonly Chart[], writeDocs: boolean): string[] {
  const written: string[] = [];
  const results = new URL('bench/results/', root);
  mkdirSync(results, { recursive: true });
  const json = new URL(`${name}.json`, results);
  writeFileSync(json, `${JSON.stringify(record, null, 2)}\n`);
  written.push(fileURLToPath(json));
  if (writeDocs) {
    const images = new URL('docs/img/', root);
    mkdirSync(images, { recursive: true });
    for (const chart of charts) {
      const file = new URL(chart.file, images);
      writeFileSync(file, chart.svg);
      written.push(fileURLToPath(file));
    }
  }
  return written;
}
