import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode } from '../../src/id/decode.js';
import { NodeGuards } from '../../src/server/NodeGuards.js';
import { resolveServerConfig } from '../../src/server/resolveServerConfig.js';

const setting = (value: string) => ({ value, from: 'test' });

describe('NodeGuards: the overt node on this host', () => {
  it('GIVEN two overt servers with one hardware id in one process (one pid) THEN the second issues under the next process id and says why', async () => {
    const config = resolveServerConfig({
      layout: setting('overt53'),
      listen: setting('127.0.0.1:0'),
      hidType: setting('fixed'),
      hardwareId: { value: Uint8Array.of(0x0a, 0xbc, 0, 0, 0, 0x53), from: 'test' },
    });
    const pid = process.pid % 65536;
    const first = await NodeGuards.open(config);
    const second = await NodeGuards.open(config);
    try {
      const ids = [first, second].map((guards) => decode(guards.createGenerator(config.generator).next(), { layout: 'overt53' }));
      assert.deepEqual(
        ids.map((id) => [id.hardwareId, id.processId]),
        [
          ['0abc00000053', pid],
          ['0abc00000053', (pid + 1) % 65536],
        ],
      );
      assert.deepEqual(first.describe(), []);
      assert.match(second.describe().join('\n'), new RegExp(`^process id ${pid} is in use on this host .*: using process id ${(pid + 1) % 65536}$`));
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
    const again = await NodeGuards.open(config);
    assert.equal(decode(again.createGenerator(config.generator).next(), { layout: 'overt53' }).processId, pid, 'closing gave the process id back');
    await again.close();
  });
});
