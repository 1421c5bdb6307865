/**
 * The "large batch first" cases: each first batch size in its own fresh process
 * (bench/firstBatch/firstBatchChild.ts), so what an earlier call compiled cannot help a later
 * one. The rate is shown against the overt layout's limit of 65,536 IDs per millisecond.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const FIRST_BATCH_SIZES = [1, 64, 4096, 65536] as const;
const MODES = ['nextBytes', 'fill'] as const;
const OVERT_LIMIT_PER_SECOND = 65_536_000;
const TARGET_SHARE = 0.9;

interface ChildResult {
  readonly first: number;
  readonly mode: (typeof MODES)[number];
  readonly idsPerSecond: number;
  readonly cpuShare: number;
  readonly codeMsPerMillisecond: number;
}

const childPath = fileURLToPath(new URL('./firstBatchChild.js', import.meta.url));

function runChild(first: number, mode: string, warmupMs: number, durationMs: number): ChildResult {
  const args = [childPath, `--first=${first}`, `--mode=${mode}`, `--warmup=${warmupMs}`, `--duration=${durationMs}`];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  return JSON.parse(out) as ChildResult;
}

/** Runs every case, each in a new process, and returns the Markdown table. */
export function freshProcessTable(warmupMs: number, durationMs: number, progress: (line: string) => void): string {
  const rows: string[] = [
    '| first calls | then timed | IDs/s | ÷ 65.536 M limit | ≥ 90 % | CPU share | code ms per 1 ms of IDs |',
    '| ---: | --- | ---: | ---: | --- | ---: | ---: |',
  ];
  for (const first of FIRST_BATCH_SIZES) {
    for (const mode of MODES) {
      const result = runChild(first, mode, warmupMs, durationMs);
      const share = result.idsPerSecond / OVERT_LIMIT_PER_SECOND;
      progress(`fresh process, first ${first}, then ${mode}: ${(result.idsPerSecond / 1e6).toFixed(2)} M IDs/s`);
      const timed = mode === 'fill' ? 'fill(…, 4096)' : 'nextBytes(65536)';
      rows.push(
        `| ${first.toLocaleString('en-US')} | ${timed} | ${(result.idsPerSecond / 1e6).toFixed(2)} M | ${share.toFixed(3)} | ${share >= TARGET_SHARE ? 'yes' : 'no'} | ${result.cpuShare.toFixed(2)} | ${result.codeMsPerMillisecond.toFixed(3)} |`,
      );
    }
  }
  return rows.join('\n');
}
