/**
 * Draws the documentation's charts again from the last runs' JSON in bench/results/ (written by
 * `npm run bench`, `bench:server` and `bench:startup`) into docs/img/, without measuring again:
 * for a change to the charts themselves. Each benchmark draws its own with `--write-docs`.
 *
 *   npm run bench:charts
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type GenerationRecord, generationCharts } from './charts/generationChart.js';
import { type ServerRecord, serverCharts } from './charts/serverCharts.js';
import { type StartupRecord, startupCharts } from './charts/startupChart.js';
import { type Chart, writeRunOutput } from './RunOutput.js';

const drawers: Record<string, (record: never) => Chart[]> = {
  generation: (record: GenerationRecord) => generationCharts(record),
  server: (record: ServerRecord) => serverCharts(record),
  startup: (record: StartupRecord) => startupCharts(record),
};

let drawn = 0;
for (const [name, draw] of Object.entries(drawers)) {
  const file = fileURLToPath(new URL(`../../bench/results/${name}.json`, import.meta.url));
  if (!existsSync(file)) {
    process.stderr.write(`bench:charts: no ${file} (run its benchmark first); skipped\n`);
    continue;
  }
  const record = JSON.parse(readFileSync(file, 'utf8')) as never;
  for (const path of writeRunOutput(name, record, draw(record), true)) process.stderr.write(`bench:charts: wrote ${path}\n`);
  drawn++;
}
if (drawn === 0) process.exitCode = 1;
