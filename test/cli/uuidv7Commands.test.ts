import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7, validate, version } from 'uuid';
import { decode } from '../../src/index.js';
import { lines, runFlakery, runInProcess } from './runFlakery.js';

const RFC_A6 = '017f22e2-79b0-7cc3-98c4-dc0c0c07398f';

describe('flakery gen and decode with --layout uuidv7', { concurrency: 4 }, () => {
  it('GIVEN gen --layout uuidv7 THEN UUIDs by default, valid v7, increasing, with the --hid given (real binary)', async () => {
    const { status, stdout, stderr } = await runFlakery(['gen', '--layout', 'uuidv7', '--hid', '0242ac110002', '--count', '5000']);
    assert.deepEqual([status, stderr], [0, '']);
    const ids = lines(stdout);
    assert.equal(ids.length, 5000);
    for (const id of ids) {
      assert.ok(validate(id) && version(id) === 7, id);
      assert.equal(decode(id, { layout: 'uuidv7' }).hardwareId, '0242ac110002');
    }
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!);
  });

  it('GIVEN gen | decode THEN the counter and the node come back', async () => {
    const gen = await runInProcess(['gen', '--layout', 'uuidv7', '--hid', 'a1b2c3d4e5f6', '--count', '2', '--format', 'hex']);
    assert.match(gen.stdout, /^[0-9a-f]{32}\n[0-9a-f]{32}\n$/);
    const { status, stdout } = await runInProcess(['decode', '--layout', 'uuidv7'], gen.stdout);
    assert.equal(status, 0);
    const decoded = lines(stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(decoded.map((d) => [d.layout, d.hardwareId, d.processId]), [
      ['uuidv7', 'a1b2c3d4e5f6', process.pid % 16384],
      ['uuidv7', 'a1b2c3d4e5f6', process.pid % 16384],
    ]);
  });

  it("GIVEN decode --origin any THEN another generator's UUIDv7 gives its time and says its node is unknown", async () => {
    const { status, stdout, stderr } = await runInProcess(['decode', '--layout', 'uuidv7', '--origin', 'any', RFC_A6, v7()]);
    assert.deepEqual([status, stderr], [0, '']);
    const [rfc, peer] = lines(stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(rfc, {
      layout: 'uuidv7',
      origin: 'any',
      id: BigInt(`0x${RFC_A6.replaceAll('-', '')}`).toString(),
      unixMs: 0x017f22e279b0,
      time: '2022-02-22T19:22:22.000Z',
      randA: 0xcc3,
      randB: '18c4dc0c0c07398f',
      node: 'unknown',
    });
    assert.equal(peer!.node, 'unknown');
  });

  it('GIVEN a UUID of another version THEN one stderr line says so, status 1', async () => {
    const { status, stdout, stderr } = await runInProcess(['decode', '--layout', 'uuidv7', '919108f7-52d1-4320-9bac-f847db4148a8']);
    assert.deepEqual([status, stdout], [1, '']);
    assert.match(stderr, /^flakery decode: .*version 4 UUID; the uuidv7 layout reads version 7 only/);
  });

  it('GIVEN flags that do not fit uuidv7 THEN status 2 and a message naming the flag', async () => {
    for (const [args, pattern] of [
      [['gen', '--layout', 'uuidv7', '--epoch', 'twitter'], /--epoch cannot be changed for the uuidv7 layout/],
      [['gen', '--layout', 'uuidv7', '--machine-id', '3'], /--machine-id does not apply to the uuidv7 layout/],
      [['decode', '--origin', 'any', '1'], /--origin any goes with --layout uuidv7/],
      [['decode', '--layout', 'uuidv7', '--origin', 'some', RFC_A6], /--origin must be one of flakery, any/],
    ] as const) {
      const { status, stderr } = await runInProcess(args);
      assert.equal(status, 2, args.join(' '));
      assert.match(stderr, pattern);
    }
  });
});
