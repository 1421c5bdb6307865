import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type NodeLockOptions, createGenerator, createLockedGenerator, decode, snowflakeLayout } from '../src/index.js';

let namespaces = 0;
/** Each test its own lock namespace, so parallel test files never see each other's locks. */
const fresh = (): NodeLockOptions => ({ namespace: `locked-${process.pid}-${namespaces++}` });

describe('createLockedGenerator', () => {
  test('GIVEN a snowflake worker id held by a locked generator THEN a second is refused until the first is released', async () => {
    const lock = fresh();
    const first = await createLockedGenerator({ layout: 'snowflake', machineId: 602 }, lock);
    assert.equal(decode(first.generator.next(), { layout: 'snowflake' }).workerId, 602);
    assert.match(first.holder, /^@flakery\/worker\/locked-\d+-\d+\/602$|flakery-worker-/);
    assert.equal(first.notice, undefined);
    await assert.rejects(createLockedGenerator({ layout: 'snowflake', machineId: 602 }, lock), {
      code: 'ERR_WORKER_ID_IN_USE',
      message: /worker id 602 is already in use on this host/,
    });
    await first.release();
    await first.release(); // idempotent
    const second = await createLockedGenerator({ layout: 'snowflake', machineId: 602 }, lock);
    await second.release();
  });

  test('GIVEN overt without processId twice THEN the second moves to the next process id and says so', async () => {
    const lock = fresh();
    const options = { layout: 'overt', hardwareId: '0242ac110009' } as const;
    const pid = process.pid % 65536;
    const first = await createLockedGenerator(options, lock);
    const second = await createLockedGenerator(options, lock);
    assert.equal(decode(first.generator.next()).processId, pid);
    assert.equal(decode(second.generator.next()).processId, (pid + 1) % 65536);
    assert.match(second.notice!, new RegExp(`^process id ${pid} is in use on this host .*: using process id ${(pid + 1) % 65536}$`));
    await Promise.all([first.release(), second.release()]);
  });

  test('GIVEN overt with an explicit processId taken THEN ERR_NODE_ID_IN_USE', async () => {
    const lock = fresh();
    const options = { layout: 'overt53', hardwareId: '0242ac110009', processId: 4 } as const;
    const first = await createLockedGenerator(options, lock);
    await assert.rejects(createLockedGenerator(options, lock), { code: 'ERR_NODE_ID_IN_USE' });
    await first.release();
  });

  test('GIVEN a custom layout THEN ERR_INVALID_OPTION: its node cannot be locked', async () => {
    const layout = Object.assign(Object.create(Object.getPrototypeOf(snowflakeLayout)), snowflakeLayout, { name: 'custom', nodeKind: undefined });
    await assert.rejects(createLockedGenerator({ layout, node: { workerId: 1 } }, fresh()), { code: 'ERR_INVALID_OPTION', message: /custom layout custom/ });
  });

  test('GIVEN createGenerator THEN no lock: the same worker id twice in one process is allowed (it is the caller\'s to keep unique)', () => {
    createGenerator({ layout: 'snowflake', machineId: 603 });
    createGenerator({ layout: 'snowflake', machineId: 603 });
  });
});
