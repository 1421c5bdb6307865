import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type Clock, ClockError, ManualClock, createGenerator, decode, epochs, formatId } from '../../src/index.js';
import { idTextWriter } from '../../src/id/IdTextWriter.js';
import { writeIds } from '../../src/cli/genCommand.js';
import { OutputWriter } from '../../src/cli/OutputWriter.js';
import { repoRoot } from '../support/paths.js';
import { flakeryBin, lines, runFlakery, runInProcess } from './runFlakery.js';

const COUNT = 5000; // more than snowflake's 4,096 IDs per ms: the run spans milliseconds

/**
 * Per layout and format: the flags, and what every line must look like. Cases run at once, and
 * gen locks its node on the host: a worker id, or a hardware id with this process's pid in
 * process, appears in one case only, so none waits on or moves away from another.
 */
const cases: readonly { layout: string; flags: string[]; format: string; line: RegExp; spawn?: true }[] = [
  { layout: 'snowflake', flags: ['--machine-id', '701'], format: 'decimal', line: /^[1-9]\d{0,18}$/, spawn: true },
  { layout: 'snowflake', flags: ['--machine-id', '702'], format: 'hex', line: /^[0-7][0-9a-f]{15}$/ },
  { layout: 'overt', flags: ['--hid', '0242ac110001'], format: 'decimal', line: /^[1-9]\d{0,38}$/ },
  { layout: 'overt', flags: ['--hid', '0242ac110002'], format: 'hex', line: /^[0-9a-f]{16}0242ac110002[0-9a-f]{4}$/ },
  { layout: 'overt', flags: ['--hid', '0242ac110002'], format: 'uuid', line: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-0242-ac110002[0-9a-f]{4}$/, spawn: true },
  { layout: 'overt53', flags: ['--hid-type', 'host'], format: 'decimal', line: /^[1-9]\d{0,38}$/ },
  { layout: 'overt53', flags: ['--hid-type', 'host'], format: 'hex', line: /^00[0-1][0-9a-f]{29}$/, spawn: true },
  { layout: 'overt53', flags: ['--hid-type', 'host'], format: 'uuid', line: /^00[0-1][0-9a-f]{5}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/, spawn: true },
];

function asBigInt(text: string, format: string): bigint {
  return BigInt(format === 'decimal' ? text : `0x${text.replaceAll('-', '')}`);
}

describe('flakery gen', { concurrency: 4 }, () => {
  for (const { layout, flags, format, line, spawn: spawned } of cases) {
    const args = ['gen', '--layout', layout, ...flags, '--format', format, '--count', String(COUNT)];
    it(`GIVEN ${args.join(' ')} (${spawned ? 'spawned' : 'in process'}) THEN ${COUNT} well-formed, strictly increasing IDs`, async () => {
      const { status, stdout, stderr } = await (spawned ? runFlakery : runInProcess)(args);
      assert.deepEqual([status, stderr], [0, '']);
      const ids = lines(stdout);
      assert.equal(ids.length, COUNT);
      let previous = -1n;
      for (const id of ids) {
        assert.match(id, line);
        const value = asBigInt(id, format);
        assert.ok(value > previous, `${id} follows ${previous.toString(16)}`);
        previous = value;
      }
    });
  }

  it('GIVEN no --count THEN it prints one overt ID', async () => {
    const { status, stdout } = await runInProcess(['gen']);
    assert.equal(status, 0);
    assert.match(stdout, /^\d{30,39}\n$/);
  });
});

const sh = promisify(execFile);

/** Runs `gen ARGS | decode ARGS` through a shell, as a user would. */
async function pipeline(gen: string[], decodeArgs: string[]): Promise<{ stdout: string; stderr: string }> {
  const flakery = `"${process.execPath}" "${flakeryBin}"`;
  return sh('sh', ['-c', `${flakery} gen ${gen.join(' ')} | ${flakery} decode ${decodeArgs.join(' ')}`], { cwd: repoRoot });
}

describe('flakery gen | flakery decode', { concurrency: 2 }, () => {
  it('GIVEN snowflake with datacenter, machine id and epoch THEN decode reads back the flags', async () => {
    const before = Date.now();
    const { stdout, stderr } = await pipeline(
      ['--layout', 'snowflake', '--datacenter-id', '3', '--machine-id', '27', '--epoch', 'discord', '--count', '3'],
      ['--layout', 'snowflake', '--epoch', 'discord'],
    );
    const after = Date.now();
    assert.equal(stderr, '');
    const decoded = lines(stdout).map((text) => JSON.parse(text) as Record<string, unknown>);
    assert.equal(decoded.length, 3);
    for (const fields of decoded) {
      assert.deepEqual([fields.layout, fields.workerId, fields.datacenterId, fields.machineId], ['snowflake', 3 * 32 + 27, 3, 27]);
      const unixMs = fields.unixMs as number;
      assert.ok(unixMs >= before && unixMs <= after, `${unixMs} within [${before}, ${after}]`);
      assert.equal(fields.time, new Date(unixMs).toISOString());
      // gen really used the discord epoch: read with twitter's, the same ID lands elsewhere.
      assert.equal(decode(fields.id as string, { layout: 'snowflake' }).unixMs, unixMs - epochs.discord + epochs.twitter);
    }
    assert.deepEqual(decoded.map((fields) => fields.sequence), [0, 1, 2]);
  });

  it('GIVEN overt with a fixed hardware id, an epoch in ms and uuid THEN decode reads back the flags', async () => {
    const epoch = String(epochs.unix + 86_400_000);
    const before = Date.now();
    const { stdout, stderr } = await pipeline(['--hid', '02:42:ac:11:00:02', '--epoch', epoch, '--format', 'uuid', '--count', '2'], ['--epoch', epoch]);
    const after = Date.now();
    assert.equal(stderr, '');
    const decoded = lines(stdout).map((text) => JSON.parse(text) as Record<string, unknown>);
    assert.equal(decoded.length, 2);
    for (const fields of decoded) {
      assert.deepEqual([fields.layout, fields.hardwareId], ['overt', '0242ac110002']);
      assert.ok(Number.isInteger(fields.processId));
      const unixMs = fields.unixMs as number;
      assert.ok(unixMs >= before && unixMs <= after, `${unixMs} within [${before}, ${after}]`);
      assert.equal(decode(fields.id as string).unixMs, unixMs - 86_400_000 + epochs.overtone);
    }
  });
});

describe('flakery gen when the reader stops early', () => {
  it('GIVEN gen --count 1000000000 | head -n 3 THEN gen stops quietly with status 0', async () => {
    const flakery = `"${process.execPath}" "${flakeryBin}"`;
    const { stdout, stderr } = await sh(
      'bash',
      ['-c', `set -o pipefail; ${flakery} gen --layout snowflake --machine-id 704 --count 1000000000 | head -n 3`],
      { cwd: repoRoot },
    );
    assert.equal(stderr, '');
    assert.equal(lines(stdout).length, 3);
  });
});

/** A reader that takes each write on the next turn of the event loop, and may fail one. */
class SlowSink extends Writable {
  text = '';
  writes = 0;
  constructor(private readonly fail?: (writes: number) => NodeJS.ErrnoException | undefined) {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void): void {
    this.writes++;
    const error = this.fail?.(this.writes);
    if (error) return done(error);
    this.text += chunk.toString('latin1');
    setImmediate(done);
  }
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code });
}

/** IDs of `text` (decimal lines) must be `count` and strictly increasing. */
function assertIncreasing(text: string, count: number): void {
  const ids = lines(text).map(BigInt);
  assert.equal(ids.length, count);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `line ${i}`);
}

describe('writeIds', () => {
  const snowflake = (clock: Clock = new ManualClock(epochs.twitter + 1_000_000, { autoAdvanceMs: 1 })) =>
    createGenerator({ layout: 'snowflake', machineId: 1, clock });

  it('GIVEN a reader slower than the writer THEN it waits for drain and every ID arrives in order', async () => {
    const sink = new SlowSink();
    await writeIds(snowflake(), 20_000, idTextWriter('decimal', 8), new OutputWriter(sink));
    assert.ok(sink.writes >= 3, 'written in chunks');
    assertIncreasing(sink.text, 20_000);
  });

  it('GIVEN the reader goes away (EPIPE) THEN it stops early and quietly', async () => {
    const sink = new SlowSink((writes) => (writes === 2 ? errno('EPIPE') : undefined));
    const out = new OutputWriter(sink);
    await writeIds(snowflake(), 1_000_000, idTextWriter('decimal', 8), out);
    assert.equal(out.closed, true);
    assert.equal(sink.writes, 2);
  });

  it('GIVEN any other write error THEN it fails with that error', async () => {
    const sink = new SlowSink((writes) => (writes === 2 ? errno('ENOSPC') : undefined));
    await assert.rejects(writeIds(snowflake(), 1_000_000, idTextWriter('decimal', 8), new OutputWriter(sink)), { code: 'ENOSPC' });
  });

  it('GIVEN the clock steps back by a few ms mid-run THEN it waits, and the IDs still increase', async () => {
    // A virtual clock, so the step back happens whatever the machine's load: it runs 1 ms per
    // 50 readings and reads 5 ms earlier from the third reading on.
    const start = Date.now();
    let reads = 0;
    let latest = 0;
    let wentBack = false;
    const clock = {
      now: () => {
        reads++;
        const reading = start + Math.floor(reads / 50) - (reads > 2 ? 5 : 0);
        wentBack ||= reading < latest;
        latest = Math.max(latest, reading);
        return reading;
      },
    };
    const sink = new SlowSink();
    await writeIds(snowflake(clock), 20_000, idTextWriter('decimal', 8), new OutputWriter(sink));
    assert.ok(wentBack, 'the clock did step back');
    assertIncreasing(sink.text, 20_000);
  });

  it('GIVEN the clock steps back by more than a second THEN it fails with ClockError', async () => {
    let reads = 0;
    const clock = { now: () => Date.now() - (++reads > 2 ? 5_000 : 0) };
    await assert.rejects(
      writeIds(snowflake(clock), 1_000_000, idTextWriter('decimal', 8), new OutputWriter(new SlowSink())),
      (error: unknown) => error instanceof ClockError && error.code === 'ERR_CLOCK_BACKWARDS',
    );
  });
});
