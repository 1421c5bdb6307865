import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock/ManualClock.js';
import { createClient } from '../../src/client/createClient.js';
import { FlakeryError, createGenerator } from '../../src/index.js';
import { epochs } from '../../src/layouts/epochs.js';
import { HID } from '../server/startServer.js';
import { clientTestKit } from './clientTestKit.js';

const { server, client } = clientTestKit();

function refusal(code: string, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof FlakeryError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return true;
  };
}

describe('IdClient checks the time of the IDs it receives', () => {
  it('GIVEN an overt client and a real snowflake server THEN one ID is refused with ERR_IMPLAUSIBLE_ID naming the layout, not timed out', async () => {
    const snowflake = await server({ service: createGenerator({ layout: 'snowflake', machineId: 3 }) });
    const c = client({ servers: [snowflake.address], requestTimeoutMs: 60_000 });
    await assert.rejects(c.next(), refusal('ERR_IMPLAUSIBLE_ID', /8 bytes.*layout: 'snowflake'/));
  });

  it('GIVEN an overt client and a snowflake server THEN pipelined requests get no glued 16-byte value', async () => {
    const snowflake = await server({ service: createGenerator({ layout: 'snowflake', machineId: 3 }) });
    const c = client({ servers: [snowflake.address] });
    const results = await Promise.allSettled([c.next(), c.next(), c.nextBatch(4)]);
    for (const result of results) {
      assert.equal(result.status, 'rejected', 'no ID of a mismatched server may reach the caller');
      assert.equal((result.reason as FlakeryError).code, 'ERR_IMPLAUSIBLE_ID');
    }
    assert.equal(snowflake.observer.opened, 1, 'refused once, not retried on the same server');
  });

  it('GIVEN a snowflake client and an overt server THEN ERR_IMPLAUSIBLE_ID naming the 16-byte layouts', async () => {
    const overt = await server();
    const c = client({ servers: [overt.address], layout: 'snowflake' });
    await assert.rejects(c.nextBatch(3), refusal('ERR_IMPLAUSIBLE_ID', /16 bytes.*layout: 'overt'/));
  });

  it('GIVEN a client with another epoch than the server THEN ERR_IMPLAUSIBLE_ID naming the epoch', async () => {
    const overt = await server();
    const c = client({ servers: [overt.address], epoch: 'unix' });
    await assert.rejects(c.next(), refusal('ERR_IMPLAUSIBLE_ID', /epoch: 'overtone'/));
  });

  it('GIVEN the client clock two days ahead of the server THEN refused; with maxClockSkewMs 0 (off) THEN accepted', async () => {
    const overt = await server();
    const ahead = new ManualClock(Date.now() + 2 * 86_400_000);
    await assert.rejects(client({ servers: [overt.address], clock: ahead }).next(), refusal('ERR_IMPLAUSIBLE_ID', /maxClockSkewMs/));
    const unchecked = client({ servers: [overt.address], clock: ahead, maxClockSkewMs: 0 });
    assert.equal((await unchecked.nextBatch(2)).length, 2);
    const wide = client({ servers: [overt.address], clock: ahead, maxClockSkewMs: 3 * 86_400_000 });
    assert.equal((await wide.nextBatch(2)).length, 2);
  });

  it('GIVEN a mismatched primary and a matching secondary THEN the secondary answers; every server mismatched THEN the code says so', async () => {
    const snowflake = await server({ service: createGenerator({ layout: 'snowflake', machineId: 3 }) });
    const overt = await server({ service: createGenerator({ hardwareId: HID, processId: 7 }) });
    const c = client({ servers: [snowflake.address, overt.address] });
    assert.equal((await c.next()) & 0xffffn, 7n);
    const both = client({ servers: [snowflake.address, snowflake.address] });
    await assert.rejects(both.next(), refusal('ERR_IMPLAUSIBLE_ID', /every server.*snowflake/));
  });

  it('validates maxClockSkewMs and epoch, naming them', () => {
    assert.throws(() => createClient({ servers: ['a:1'], maxClockSkewMs: -1 }), { option: 'maxClockSkewMs' });
    assert.throws(() => createClient({ servers: ['a:1'], maxClockSkewMs: 1.5 }), { option: 'maxClockSkewMs' });
    assert.throws(() => createClient({ servers: ['a:1'], epoch: 'nope' as never }), { option: 'epoch' });
    assert.doesNotThrow(() => createClient({ servers: ['a:1'], maxClockSkewMs: Number.POSITIVE_INFINITY, epoch: epochs.twitter }));
  });
});
