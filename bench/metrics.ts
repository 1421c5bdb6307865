/**
 * The cost of metrics on the request path and at /metrics: ns per observed request (the hooks a
 * finished HTTP request calls: idsIssued, requestFinished) and µs per render, for this build's
 * MetricsObserver and, with --against, another build's (e.g. main's), timed in alternating rounds
 * in the same process so both see the same machine load. A render is timed up to its byte
 * length (which flattens the string, as sending it does).
 *
 *   npm run bench:metrics [-- --against=/tmp/flakery-main/build/src/server/metrics/MetricsObserver.js --rounds=7]
 *
 * Progress goes to stderr; the report (a Markdown table) to stdout.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MetricsObserver } from '../src/server/metrics/MetricsObserver.js';
import type { ListenerKind, RequestOutcome, ServerObserver } from '../src/server/ServerObserver.js';
import { median } from './measure.js';
import { loadNow, machineLines } from './report.js';

const { values: flags } = parseArgs({
  options: {
    against: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '2000000' },
    renders: { type: 'string', default: '5000' },
  },
});

interface Observed extends ServerObserver {
  render(): string;
  close?(): void;
}
type Make = () => Observed;

/** A request mix like a busy node's: mostly ok, over both listeners, durations around 0.1–3 ms. */
const LISTENERS: readonly ListenerKind[] = ['tcp', 'http', 'http', 'tcp'];
const OUTCOMES: readonly RequestOutcome[] = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'too_large'];
const SECONDS = Float64Array.from({ length: 64 }, (_, i) => 0.00008 + (i % 16) * 0.0002);

function timeRequests(metrics: Observed, count: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    metrics.idsIssued(1, 1_700_000_000_000 + i);
    metrics.requestFinished(LISTENERS[i & 3]!, OUTCOMES[i & 7]!, 1, SECONDS[i & 63]!);
  }
  return Number(process.hrtime.bigint() - start) / count;
}

function timeRenders(metrics: Observed, count: number): number {
  let length = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) length += Buffer.byteLength(metrics.render()); // flattens the string, as sending it does
  const ns = Number(process.hrtime.bigint() - start) / count;
  if (length === 0) throw new Error('empty render');
  return ns / 1000;
}

async function contenders(): Promise<[string, Make][]> {
  const list: [string, Make][] = [
    ['this build', () => new MetricsObserver()],
    ['this build, without process metrics', () => new MetricsObserver({ processMetrics: false })],
  ];
  if (flags.against !== undefined) {
    const module = (await import(pathToFileURL(resolve(flags.against)).href)) as { MetricsObserver: new () => Observed };
    list.push([`--against ${flags.against}`, () => new module.MetricsObserver()]);
  }
  return list;
}

const rounds = Number(flags.rounds);
const requests = Number(flags.requests);
const renders = Number(flags.renders);
const loadAtStart = loadNow();
const list = await contenders();
const results = new Map(list.map(([name]) => [name, { request: [] as number[], render: [] as number[], bytes: 0 }]));
for (let round = 0; round <= rounds; round++) {
  for (const [name, make] of round % 2 === 0 ? list : [...list].reverse()) {
    const metrics = make();
    const request = timeRequests(metrics, requests);
    const render = timeRenders(metrics, renders);
    const result = results.get(name)!;
    result.bytes = metrics.render().length;
    metrics.close?.();
    if (round === 0) continue; // warm-up
    result.request.push(request);
    result.render.push(render);
  }
  process.stderr.write(`round ${round}/${rounds}\n`);
}

const reference = results.get(flags.against === undefined ? 'this build' : `--against ${flags.against}`)!;
const baseRequest = median(reference.request);
const baseRender = median(reference.render);
const lines = [
  ...machineLines(loadAtStart),
  `Medians of ${rounds} alternating rounds; ${requests.toLocaleString('en-US')} observed requests and ${renders.toLocaleString('en-US')} renders per round.`,
  '',
  '| observer | ns per observed request | × reference | µs per /metrics render | × reference | bytes |',
  '|---|---:|---:|---:|---:|---:|',
];
for (const [name, result] of results) {
  const request = median(result.request);
  const render = median(result.render);
  lines.push(
    `| ${name} | ${request.toFixed(1)} | ${(request / baseRequest).toFixed(2)} | ${render.toFixed(1)} | ${(render / baseRender).toFixed(2)} | ${result.bytes} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
