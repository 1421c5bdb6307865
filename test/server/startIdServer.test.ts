import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock/ManualClock.js';
import { resolveServerConfig } from '../../src/server/resolveServerConfig.js';
import { startIdServer } from '../../src/server/startIdServer.js';

describe('startIdServer', () => {
  it("GIVEN a failing health check or a clock far behind THEN the server's health says why", async () => {
    const config = resolveServerConfig({ listen: { value: '127.0.0.1:0', from: 'test' }, hidType: { value: 'host', from: 'test' } });
    const clock = new ManualClock(Date.now());
    let leaseHeld = true;
    const server = await startIdServer(
      { ...config, generator: { ...config.generator, clock } },
      { healthChecks: [() => (leaseHeld ? { ok: true } : { ok: false, code: 'ERR_LEASE_LOST', reason: 'lease lost in test' })] },
    );
    try {
      assert.deepEqual(server.health(), { ok: true });
      leaseHeld = false;
      assert.deepEqual(server.health(), { ok: false, code: 'ERR_LEASE_LOST', reason: 'lease lost in test' });
      leaseHeld = true;
      server.generator.next();
      clock.advance(-1000);
      const health = server.health();
      assert.equal(health.ok, false);
      assert.equal(!health.ok && health.code, 'ERR_CLOCK_BACKWARDS');
    } finally {
      await server.close();
    }
  });
});
