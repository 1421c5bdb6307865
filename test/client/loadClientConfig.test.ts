import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createClient } from '../../src/client/createClient.js';
import { loadClientConfig, parseClientConfig } from '../../src/client/loadClientConfig.js';

describe('loadClientConfig', () => {
  let dir: string | undefined;
  after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('reads an overt-flake client config: servers in order, auth optional', async () => {
    dir = await mkdtemp(join(tmpdir(), 'flakery-client-'));
    const path = join(dir, 'client.yml');
    await writeFile(path, 'servers:\n  - server: 10.0.0.1:4444\n    auth: "secret"\n  - server: 10.0.0.2:4444\n    auth: ""\n  - server: "[::1]:4445"\n');
    const options = await loadClientConfig(path);
    assert.deepEqual(options.servers, [{ address: '10.0.0.1:4444', authToken: 'secret' }, '10.0.0.2:4444', '[::1]:4445']);
    const client = createClient(options);
    assert.deepEqual(
      client.servers.map(({ host, port, token }) => [host, port, token?.length ?? 0]),
      [['10.0.0.1', 4444, 6], ['10.0.0.2', 4444, 0], ['::1', 4445, 0]],
    );
    await client.close();
  });

  it('reads Flakery extras: timeouts and layout', () => {
    const options = parseClientConfig('servers: [{server: "h:1"}]\nrequestTimeoutMs: 250\nlayout: snowflake\n');
    assert.equal(options.requestTimeoutMs, 250);
    assert.equal(createClient(options).idSize, 8);
  });

  for (const [name, text] of [
    ['no servers', 'servers: []'],
    ['a server without an address', 'servers: [{auth: x}]'],
    ['not YAML', 'servers: [unclosed'],
    ['a list at the top', '- server: h:1'],
    ['a non-string auth', 'servers: [{server: "h:1", auth: [1]}]'],
  ]) {
    it(`GIVEN ${name} THEN ERR_CONFIG_FILE`, () => {
      assert.throws(() => parseClientConfig(text!, 'c.yml'), { code: 'ERR_CONFIG_FILE' });
    });
  }

  it('GIVEN a missing file THEN ERR_CONFIG_FILE naming it', async () => {
    await assert.rejects(loadClientConfig('/nonexistent/client.yml'), { code: 'ERR_CONFIG_FILE', message: /nonexistent\/client\.yml/ });
  });
});
