import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FlakeryError } from '../../src/errors.js';
import { NodeGuards } from '../../src/server/NodeGuards.js';
import { resolveServerConfig } from '../../src/server/resolveServerConfig.js';

const setting = (value: string) => ({ value, from: 'test' });

function snowflake(machineId: string, stateFile: string) {
  return resolveServerConfig({ layout: setting('snowflake'), listen: setting('127.0.0.1:0'), machineId: setting(machineId), stateFile: setting(stateFile) });
}

const inUse = (path: string) => (e: unknown) =>
  e instanceof FlakeryError && e.code === 'ERR_STATE_FILE' && e.message.includes(path) && /in use/.test(e.message);

describe('NodeGuards: one state file, one node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flakery-shared-state-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  // Two nodes writing one mark overwrite each other's: a node whose clock ran ahead loses its
  // mark to the other's lower one, and after a restart with the clock fixed it repeats its IDs.
  it('GIVEN a node holds a state file THEN a second node (another worker id) is refused until the first closes', async () => {
    const path = join(dir, 'node.state');
    const first = await NodeGuards.open(snowflake('1', path));
    await assert.rejects(NodeGuards.open(snowflake('2', path)), inUse(path));
    await first.close();
    const second = await NodeGuards.open(snowflake('2', path));
    await second.close();
  });

  it('GIVEN the same state file named through a symlinked directory THEN the second node is refused too', async () => {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const first = await NodeGuards.open(snowflake('3', join(dir, 'real', 'node.state')));
    try {
      await assert.rejects(NodeGuards.open(snowflake('4', join(dir, 'link', 'node.state'))), inUse(join(dir, 'real', 'node.state')));
    } finally {
      await first.close();
    }
  });

  it('GIVEN the second node runs in another lock namespace THEN it is refused all the same (no two deployments share a mark)', async () => {
    const path = join(dir, 'namespaced.state');
    const saved = process.env.FLAKERY_LOCK_NAMESPACE;
    process.env.FLAKERY_LOCK_NAMESPACE = 'deployment-a';
    const first = await NodeGuards.open(snowflake('5', path));
    try {
      process.env.FLAKERY_LOCK_NAMESPACE = 'deployment-b';
      await assert.rejects(NodeGuards.open(snowflake('5', path)), inUse(path));
    } finally {
      if (saved === undefined) delete process.env.FLAKERY_LOCK_NAMESPACE;
      else process.env.FLAKERY_LOCK_NAMESPACE = saved;
      await first.close();
    }
  });
});
