import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Generator } from '../../../src/generator/Generator.js';
import type { GeneratorConfig } from '../../../src/generator/GeneratorConfig.js';
import { decode } from '../../../src/id/decode.js';
import { HeldNode, PROCESS_ID_SEARCH } from '../../../src/machine/nodeLock/HeldNode.js';
import { NodeLock, type NodeLockOptions } from '../../../src/machine/nodeLock/NodeLock.js';
import { resolveGeneratorConfig } from '../../../src/options/resolveGeneratorConfig.js';

const pidFileDir = mkdtempSync(join(tmpdir(), 'flakery-held-'));
after(() => rmSync(pidFileDir, { recursive: true, force: true }));

let namespaces = 0;
/** Each test its own lock namespace, so parallel test files never see each other's locks. */
const fresh = (): NodeLockOptions => ({ namespace: `held-${process.pid}-${namespaces++}` });
const HID = '0242ac110002';
const hidBytes = Uint8Array.from(Buffer.from(HID, 'hex'));
const overt = (processId: number, layout: 'overt' | 'overt53' = 'overt') => resolveGeneratorConfig({ layout, hardwareId: HID, processId }, {});

describe('HeldNode', () => {
  test('GIVEN an automatic process id taken on this host THEN the next free one is held, and the generator uses it', async () => {
    const lock = fresh();
    const first = await HeldNode.lock(overt(1), { automaticProcessId: true, lock });
    const second = await HeldNode.lock(overt(1), { automaticProcessId: true, lock });
    const third = await HeldNode.lock(overt(1), { automaticProcessId: true, lock });
    assert.equal(first?.movedFrom, undefined);
    assert.equal(first?.describeMove(), undefined);
    assert.equal(second?.movedFrom, 1);
    assert.match(second!.describeMove()!, /^process id 1 is in use on this host .*: using process id 2$/);
    assert.equal(third?.movedFrom, 1);

    const ids = [first!, second!, third!].map((held) => new Generator(held.apply(overt(1))).next());
    assert.deepEqual(
      ids.map((id) => decode(id, { layout: 'overt' }).processId),
      [1, 2, 3],
    );
    await Promise.all([first!.release(), second!.release(), third!.release()]);
  });

  test('GIVEN process id 65535 taken THEN the search wraps around to 0', async () => {
    const lock = fresh();
    const first = await HeldNode.lock(overt(65535), { automaticProcessId: true, lock });
    const second = await HeldNode.lock(overt(65535), { automaticProcessId: true, lock });
    assert.deepEqual(second?.lock.identity, { kind: 'overt', hardwareId: hidBytes, processId: 0 });
    await Promise.all([first!.release(), second!.release()]);
  });

  test('GIVEN a uuidv7 node THEN it is locked in its own space, and its automatic process id wraps at 2^14', async () => {
    const lock = fresh();
    const uuidv7 = (processId: number) => resolveGeneratorConfig({ layout: 'uuidv7', hardwareId: HID, processId }, {});
    const overtNode = await HeldNode.lock(overt(16383), { automaticProcessId: false, lock });
    const first = await HeldNode.lock(uuidv7(16383), { automaticProcessId: true, lock });
    assert.equal(first?.movedFrom, undefined, 'an overt node with the same numbers is another ID space');
    const second = await HeldNode.lock(uuidv7(16383), { automaticProcessId: true, lock });
    assert.deepEqual(second?.lock.identity, { kind: 'overt', space: 'uuidv7', hardwareId: hidBytes, processId: 0 });
    await assert.rejects(HeldNode.lock(uuidv7(16383), { automaticProcessId: false, lock }), { code: 'ERR_NODE_ID_IN_USE' });
    const ids = [first!, second!].map((held) => new Generator(held.apply(uuidv7(16383))).next());
    assert.deepEqual(
      ids.map((id) => decode(id, { layout: 'uuidv7' }).processId),
      [16383, 0],
    );
    await Promise.all([overtNode!.release(), first!.release(), second!.release()]);
  });

  test('GIVEN an explicit process id taken THEN it is refused with ERR_NODE_ID_IN_USE, also from the other overt layout', async () => {
    const lock = fresh();
    const first = await HeldNode.lock(overt(7), { automaticProcessId: false, lock });
    for (const layout of ['overt', 'overt53'] as const) {
      await assert.rejects(HeldNode.lock(overt(7, layout), { automaticProcessId: false, lock }), {
        code: 'ERR_NODE_ID_IN_USE',
        message: /hardware id 0242ac110002 with process id 7 is already in use on this host/,
      });
    }
    await first!.release();
  });

  test(`GIVEN ${PROCESS_ID_SEARCH} process ids in a row taken THEN the search gives up with ERR_NODE_ID_IN_USE`, async () => {
    const lock: NodeLockOptions = { ...fresh(), mechanism: 'pidfile', pidFileDir };
    const held: NodeLock[] = [];
    for (let i = 0; i < PROCESS_ID_SEARCH; i += 1) held.push(await NodeLock.acquire({ kind: 'overt', hardwareId: hidBytes, processId: 100 + i }, lock));
    await assert.rejects(HeldNode.lock(overt(100), { automaticProcessId: true, lock }), {
      code: 'ERR_NODE_ID_IN_USE',
      message: new RegExp(`process id 100 is already in use on this host: so are the next ${PROCESS_ID_SEARCH - 1} process ids \\(to ${100 + PROCESS_ID_SEARCH - 1}\\)`),
    });
        // One more free id, and the search finds it.
    await held.pop()!.release();
    const last = await HeldNode.lock(overt(100), { automaticProcessId: true, lock });
    assert.deepEqual(last?.lock.identity, { kind: 'overt', hardwareId: hidBytes, processId: 100 + PROCESS_ID_SEARCH - 1 });
    await Promise.all([last!.release(), ...held.map((node) => node.release())]);
  });

  test('GIVEN a snowflake worker id held THEN a second is refused with ERR_WORKER_ID_IN_USE, and a released node stops issuing', async () => {
    const lock = fresh();
    const config = resolveGeneratorConfig({ layout: 'snowflake', machineId: 601 }, {});
    const first = await HeldNode.lock(config, { automaticProcessId: true, lock });
    await assert.rejects(HeldNode.lock(config, { automaticProcessId: true, lock }), { code: 'ERR_WORKER_ID_IN_USE' });
    const generator = new Generator(first!.apply(config));
    generator.next();
    await first!.release();
    assert.throws(
      () => {
        // The gate is asked at the next millisecond: ask until one begins.
        for (;;) generator.next();
      },
      { code: 'ERR_LEASE_LOST', message: /the host lock on worker id 601 was released/ },
    );
  });

  test('GIVEN a custom layout without a node kind THEN there is nothing to lock', async () => {
    const snowflake = resolveGeneratorConfig({ layout: 'snowflake', machineId: 1 }, {});
    const custom: GeneratorConfig<unknown> = { ...snowflake, layout: { ...snowflake.layout, name: 'custom', nodeKind: undefined } };
    assert.equal(await HeldNode.lock(custom, { automaticProcessId: true, lock: fresh() }), undefined);
  });

  test('GIVEN a custom layout that says its node kind THEN it is locked as the built-in layouts of that kind are', async () => {
    const lock = fresh();
    const snowflake = resolveGeneratorConfig({ layout: 'snowflake', machineId: 602 }, {});
    const custom: GeneratorConfig<unknown> = { ...snowflake, layout: { ...snowflake.layout, name: 'custom' } };
    const held = await HeldNode.lock(custom, { automaticProcessId: true, lock });
    assert.deepEqual(held?.lock.identity, { kind: 'worker', workerId: 602 });
    await assert.rejects(HeldNode.lock(snowflake, { automaticProcessId: true, lock }), { code: 'ERR_WORKER_ID_IN_USE' });
    const overt = resolveGeneratorConfig({ layout: 'overt', hardwareId: HID, processId: 9 }, {});
    const ownSpace: GeneratorConfig<unknown> = {
      ...overt,
      layout: { ...overt.layout, name: 'custom128', nodeKind: { kind: 'hardware+process', processIdModulus: 65536, idSpace: 'custom128' } },
    };
    const first = await HeldNode.lock(overt, { automaticProcessId: false, lock });
    const second = await HeldNode.lock(ownSpace, { automaticProcessId: false, lock });
    assert.deepEqual(second?.lock.identity, { kind: 'overt', space: 'custom128', hardwareId: hidBytes, processId: 9 }, 'its own ID space: no clash with overt');
    await Promise.all([held!.release(), first!.release(), second!.release()]);
  });

  test('GIVEN a node kind whose idSpace could not name a lock THEN ERR_INVALID_OPTION names idSpace', async () => {
    const overt = resolveGeneratorConfig({ layout: 'overt', hardwareId: HID, processId: 9 }, {});
    const bad: GeneratorConfig<unknown> = {
      ...overt,
      layout: { ...overt.layout, name: 'bad', nodeKind: { kind: 'hardware+process', processIdModulus: 65536, idSpace: '../x' } },
    };
    await assert.rejects(HeldNode.lock(bad, { automaticProcessId: false, lock: fresh() }), { code: 'ERR_INVALID_OPTION', option: 'idSpace' });
  });
});
