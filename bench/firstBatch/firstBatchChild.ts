/**
 * One fresh process of the "large batch first" benchmark: a new overt generator is first called
 * with `--first` IDs per call for the warm-up, then timed with `--mode` (`nextBytes(65536)` or
 * `fill(…, 4096)`). Prints one JSON line: IDs/s, the process's CPU share during the timed window
 * (below 1 the machine, not the code, decides how many milliseconds the process could use), and
 * the code's own time per millisecond of sequence, taken afterwards with a clock that steps 1 ms
 * per reading so that nothing waits.
 *
 *   node build/bench/firstBatch/firstBatchChild.js --first=65536 --mode=nextBytes
 */
import { parseArgs } from 'node:util';
import { createGenerator } from '../../src/index.js';

const { values } = parseArgs({
  options: {
    first: { type: 'string', default: '65536' },
    mode: { type: 'string', default: 'nextBytes' },
    warmup: { type: 'string', default: '300' },
    duration: { type: 'string', default: '1500' },
  },
});
const first = Number(values.first);
const mode = values.mode === 'fill' ? 'fill' : 'nextBytes';
const warmupMs = Number(values.warmup);
const durationMs = Number(values.duration);

/** The timed batch of each mode: a whole millisecond of sequence, or the server's chunk. */
const TIMED_BATCH = mode === 'fill' ? 4096 : 65536;
const OVERT_IDS_PER_MS = 65536;
const HARDWARE_ID = new Uint8Array([0x02, 0x42, 0xac, 0x11, 0x00, 0x02]);

/** Where `nextBytes` drops its IDs, so no call can be optimised away. */
export let sink: unknown;

function caller(gen: ReturnType<typeof createGenerator>): (count: number) => void {
  const buffer = new Uint8Array(Math.max(first, TIMED_BATCH) * gen.idSize);
  return mode === 'fill'
    ? (count) => gen.fill(buffer, 0, count)
    : (count) => {
        sink = gen.nextBytes(count);
      };
}

// The fresh generator, on the system clock: `first` IDs per call first, then the timed batches.
const gen = createGenerator({ layout: 'overt', hardwareId: HARDWARE_ID });
const call = caller(gen);
const warmStart = performance.now();
while (performance.now() - warmStart < warmupMs) call(first);

const cpuBefore = process.cpuUsage();
const start = performance.now();
let made = 0;
let now = start;
do {
  call(TIMED_BATCH);
  made += TIMED_BATCH;
  now = performance.now();
} while (now - start < durationMs);
const cpu = process.cpuUsage(cpuBefore);
const wallMs = now - start;

// The code's cost alone: the same calls on a generator whose clock never makes it wait.
let steppedMs = Date.now();
const stepped = createGenerator({ layout: 'overt', hardwareId: HARDWARE_ID, clock: { now: () => ++steppedMs } });
const steppedCall = caller(stepped);
let bestMsPerMillisecond = Number.POSITIVE_INFINITY;
for (let round = 0; round < 40; round++) {
  const roundStart = performance.now();
  for (let ids = 0; ids < OVERT_IDS_PER_MS; ids += TIMED_BATCH) steppedCall(TIMED_BATCH);
  bestMsPerMillisecond = Math.min(bestMsPerMillisecond, performance.now() - roundStart);
}

process.stdout.write(
  `${JSON.stringify({
    first,
    mode,
    idsPerSecond: made / (wallMs / 1000),
    cpuShare: (cpu.user + cpu.system) / 1000 / wallMs,
    codeMsPerMillisecond: bestMsPerMillisecond,
  })}\n`,
);
