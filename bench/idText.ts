/**
 * Micro-benchmark of writing IDs as text: the HTTP body of `GET /v1/ids` (IdsBody, over
 * IdTextWriter) against one BigInt and one `formatId` string per ID, as the HTTP path did
 * before, in the same run; and the `flakery gen` line writer alone.
 *
 *   node scripts/prepare.mjs && node build/bench/idText.js [--ms=500]
 */
import { parseArgs } from 'node:util';
import { bytesToBigInt } from '../src/id/IdBytes.js';
import { type IdFormat, formatId } from '../src/id/IdFormat.js';
import { idTextWriter } from '../src/id/IdTextWriter.js';
import { layouts } from '../src/layouts/registry.js';
import { IdsBody } from '../src/server/http/IdsBody.js';
import { createGenerator } from '../src/createGenerator.js';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '500' } } });
const budgetMs = Number(values.ms);

/** IDs written per CPU second by `run`, which writes `perCall` IDs, over the time budget. */
function rate(run: () => unknown, perCall: number): number {
  for (const warm = performance.now(); performance.now() - warm < budgetMs / 2; ) run();
  let calls = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < budgetMs) {
    for (let i = 0; i < 50; i++) run();
    calls += 50;
  }
  // CPU time, not wall time: on a shared machine it counts only the time this process ran.
  const used = process.cpuUsage(cpu);
  return (calls * perCall) / ((used.user + used.system) / 1e6);
}

/** IdsBody as it was before IdTextWriter (JSON only): one BigInt and one string per ID. */
class PerIdBody {
  #first = true;
  readonly #format: IdFormat;
  readonly #idSize: number;

  constructor(options: { format: IdFormat; idSize: number }) {
    this.#format = options.format;
    this.#idSize = options.idSize;
  }

  head(): string {
    return '{"ids":[';
  }

  chunk(bytes: Uint8Array, count: number): string {
    const size = this.#idSize;
    let text = '';
    for (let i = 0; i < count; i++) {
      const id = formatId(bytesToBigInt(bytes, i * size, size), size, this.#format);
      text += this.#first ? `"${id}"` : `,"${id}"`;
      this.#first = false;
    }
    return text;
  }

  tail(): string {
    return ']}\n';
  }
}

const cases: { layout: keyof typeof layouts; format: IdFormat; options: Parameters<typeof createGenerator>[0] }[] = [
  { layout: 'snowflake', format: 'decimal', options: { layout: 'snowflake', machineId: 1 } },
  { layout: 'overt', format: 'decimal', options: { layout: 'overt', hardwareId: '0242ac110002' } },
  { layout: 'uuidv7', format: 'uuid', options: { layout: 'uuidv7', hardwareId: '0242ac110002' } },
];
const mega = (n: number) => `${(n / 1e6).toFixed(2)} M/s`;

console.log('| layout | format | IDs/request | per-ID formatId | IdsBody (IdTextWriter) | ratio | gen lines |');
console.log('|---|---|---|---|---|---|---|');
for (const { layout, format, options } of cases) {
  const size = layouts[layout].byteLength;
  for (const count of [1, 4, 5, 16, 100, 10_000]) {
    const bytes = createGenerator(options).nextBytes(count);
    const before = rate(() => {
      const body = new PerIdBody({ format, idSize: size });
      return body.head() + body.chunk(bytes, count) + body.tail();
    }, count);
    const after = rate(() => {
      const body = new IdsBody({ plainText: false, format, idSize: size });
      return body.head() + body.chunk(bytes, count) + body.tail();
    }, count);
    const lines = idTextWriter(format, size);
    const out = new Uint8Array(count * lines.maxTextLength);
    const gen = rate(() => lines.write(bytes, count, out, 0), count);
    console.log(`| ${layout} | ${format} | ${count} | ${mega(before)} | ${mega(after)} | ${(after / before).toFixed(2)}× | ${mega(gen)} |`);
  }
}
