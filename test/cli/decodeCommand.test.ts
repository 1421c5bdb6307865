import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ManualClock, createGenerator, decode, epochs, formatId } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';
import { flakeryBin, lines, runFlakery, runInProcess } from './runFlakery.js';

const at = epochs.overtone + 123_456_789;
const overtIds = createGenerator({ hardwareId: '0242ac110002', processId: 4242, clock: new ManualClock(at) }).nextBatch(3);
const snowflakeId = createGenerator({ layout: 'snowflake', datacenterId: 2, machineId: 9, clock: new ManualClock(at) }).next();

function json(text: string): unknown[] {
  return lines(text).map((line) => JSON.parse(line) as unknown);
}

describe('flakery decode', { concurrency: 4 }, () => {
  it('GIVEN IDs as decimal, hex and uuid arguments THEN one JSON object of their fields per line', async () => {
    const [a, b, c] = overtIds as [bigint, bigint, bigint];
    const args = ['decode', formatId(a, 16, 'decimal'), formatId(b, 16, 'hex'), formatId(c, 16, 'uuid').toUpperCase()];
    const { status, stdout, stderr } = await runInProcess(args);
    assert.deepEqual([status, stderr], [0, '']);
    assert.deepEqual(json(stdout), [decode(a), decode(b), decode(c)]);
    assert.deepEqual(json(stdout)[1], {
      layout: 'overt',
      id: b.toString(),
      unixMs: at,
      time: new Date(at).toISOString(),
      sequence: 1,
      hardwareId: '0242ac110002',
      processId: 4242,
    });
  });

  it('GIVEN a snowflake ID and its layout and epoch THEN workerId, datacenterId and machineId', async () => {
    const { status, stdout } = await runInProcess(['decode', '--layout', 'snowflake', '--epoch', String(epochs.twitter), `0x${snowflakeId.toString(16)}`]);
    assert.equal(status, 0);
    assert.deepEqual(json(stdout), [
      { layout: 'snowflake', id: String(snowflakeId), unixMs: at, time: new Date(at).toISOString(), sequence: 0, workerId: 73, datacenterId: 2, machineId: 9 },
    ]);
  });

  it('GIVEN no arguments THEN it reads IDs from stdin, one per line, skipping blank lines (spawned)', async () => {
    const input = `${overtIds[0]}\r\n\n  ${formatId(overtIds[1]!, 16, 'uuid')}  \n${overtIds[2]}`;
    const { status, stdout, stderr } = await runFlakery(['decode'], input);
    assert.deepEqual([status, stderr], [0, '']);
    assert.deepEqual(json(stdout), overtIds.map((id) => decode(id)));
  });

  it('GIVEN invalid IDs among valid ones THEN one stderr line names each, the rest decode, status 1', async () => {
    const good = String(snowflakeId);
    const { status, stdout, stderr } = await runInProcess(
      ['decode', '--layout', 'snowflake', 'xyz', good, '8000000000000000', '0x1ffffffffffffffff', good],
      '',
    );
    assert.equal(status, 1);
    assert.deepEqual(json(stdout), [decode(good, { layout: 'snowflake' }), decode(good, { layout: 'snowflake' })]);
    assert.deepEqual(lines(stderr), [
      'flakery decode: "xyz" is not an ID: expected decimal digits, hex or a UUID',
      'flakery decode: "8000000000000000" is not a valid ID: the sign bit of a snowflake ID must be 0',
      'flakery decode: "0x1ffffffffffffffff" is too large for an 8-byte ID',
    ]);
  });

  it('GIVEN an all-digit ID as long as the layout hex THEN auto reads hex and --format decimal decimal', async () => {
    const digits = '0000000000000123';
    const auto = await runInProcess(['decode', '--layout', 'snowflake', digits]);
    const decimal = await runInProcess(['decode', '--layout', 'snowflake', '--format', 'decimal', digits]);
    assert.equal((json(auto.stdout)[0] as { id: string }).id, String(0x123));
    assert.equal((json(decimal.stdout)[0] as { id: string }).id, '123');
  });

  it('GIVEN snowflake IDs decoded as overt (gen --layout snowflake | decode) THEN the JSON, and a warning on stderr that suggests --layout snowflake', async () => {
    const flakery = `"${process.execPath}" "${flakeryBin}"`;
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', `set -o pipefail; ${flakery} gen --layout snowflake --machine-id 7 --count 3 | ${flakery} decode`], {
      cwd: repoRoot,
    });
    assert.equal(json(stdout).length, 3);
    assert.equal((json(stdout)[0] as { time: string }).time, '2017-01-01T00:00:00.000Z');
    assert.deepEqual(
      lines(stderr).map((line) => line.replace(/"\d+"/, '"ID"').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME')),
      [
        'flakery decode: warning: "ID" reads as overt to TIME, the epoch itself (a zero time field): --layout overt is probably wrong; as snowflake (epoch twitter) it reads TIME: try --layout snowflake',
        'flakery decode: warning: 2 more IDs read to implausible times',
      ],
    );
  });

  it('GIVEN current overt IDs decoded with the wrong epoch THEN a warning that suggests the epoch that reads them as now', async () => {
    const id = createGenerator({ hardwareId: '0242ac110002' }).next();
    const { status, stdout, stderr } = await runInProcess(['decode', '--epoch', 'unix', String(id)]);
    assert.equal(status, 0);
    assert.equal(json(stdout).length, 1);
    assert.match(stderr, /^flakery decode: warning: "\d+" reads as overt to 197\d-.*before 2000.*try --epoch overtone\n$/);
  });

  it('GIVEN an ID far in the future THEN a warning, and none for plausible IDs', async () => {
    const future = createGenerator({ hardwareId: '0242ac110002', clock: new ManualClock(Date.now() + 5 * 365 * 86_400_000) }).next();
    const { stderr } = await runInProcess(['decode', String(future), String(overtIds[0])]);
    assert.match(stderr, /^flakery decode: warning: "\d+" reads as overt to 20\d\d-.*in the future/);
    assert.equal(lines(stderr).length, 1);
  });

  it('GIVEN gen | decode | head -n 1 THEN both stop quietly with status 0', async () => {
    const flakery = `"${process.execPath}" "${flakeryBin}"`;
    const { stdout, stderr } = await promisify(execFile)(
      'bash',
      ['-c', `set -o pipefail; ${flakery} gen --hid 0242ac110002 --count 300000 | ${flakery} decode | head -n 1`],
      { cwd: repoRoot },
    );
    assert.equal(stderr, '');
    assert.match(stdout, /^\{"layout":"overt",.*"hardwareId":"0242ac110002"/);
    assert.equal(lines(stdout).length, 1);
  });
});
