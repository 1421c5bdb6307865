import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs } from '../../src/cli/parseArgs.js';
import { resolveServeConfig, serveFlags } from '../../src/cli/serveFlags.js';
import { serveSources } from '../../src/cli/serveSources.js';
import { epochs } from '../../src/index.js';
import type { ServerConfig } from '../../src/server/ServerConfig.js';
import { thrown } from '../support/thrown.js';

const machine = {
  macs: () => [{ name: 'eth0', mac: Uint8Array.from([2, 0x42, 0xac, 0x11, 0, 2]) }],
  hostname: () => 'h',
  readText: () => undefined,
};

function resolve(args: string[], env: Record<string, string> = {}): ServerConfig {
  return resolveServeConfig(serveSources(parseArgs(args, serveFlags, 'flakery serve'), serveFlags), env, machine);
}

const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString() : undefined);

describe('flakery serve flags', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'serve-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  async function file(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('defaults: localhost:4444, overt, no auth, the documented limits', () => {
    const config = resolve([]);
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 4444 });
    assert.equal(config.layout, 'overt');
    assert.equal(config.authToken, undefined);
    assert.deepEqual(
      [config.maxCount, config.maxConnections, config.idleTimeoutMs, config.authTimeoutMs, config.maxClockWaitMs],
      [1_000_000, 10_000, 300_000, 10_000, 5],
    );
  });

  it('--layout uuidv7: the Unix epoch, a hardware id node with the pid modulo 2^14', () => {
    const config = resolve(['--layout', 'uuidv7', '--hid', 'a1b2c3d4e5f6']);
    assert.equal(config.layout, 'uuidv7');
    assert.equal(config.generator.epochMs, 0);
    assert.equal(config.hardwareIdType, 'fixed');
    assert.deepEqual(config.generator.node, { hardwareId: Uint8Array.from(Buffer.from('a1b2c3d4e5f6', 'hex')), processId: process.pid % 16384 });
    assert.equal(resolve(['--layout', 'uuidv7', '--epoch', 'unix']).generator.epochMs, 0);
  });

  it('maps every flag onto the ServerConfig', () => {
    const config = resolve([
      '--listen', '[::1]:0', '--layout', 'snowflake', '--epoch', 'discord', '--machine-id', '7', '--datacenter-id', '1',
      '--wait-for', '1700000000000', '--max-count', '65536', '--max-connections', '3', '--idle-timeout', '30s',
      '--auth-timeout', '250ms', '--max-clock-wait', '20',
    ]);
    assert.deepEqual(config.listen, { host: '::1', port: 0 });
    assert.equal(config.layout, 'snowflake');
    assert.equal(config.generator.epochMs, epochs.discord);
    assert.deepEqual(config.generator.node, { workerId: (1 << 5) | 7 });
    assert.equal(config.generator.notBeforeUnixMs, 1700000000000);
    assert.deepEqual(
      [config.maxCount, config.maxConnections, config.idleTimeoutMs, config.authTimeoutMs, config.maxClockWaitMs],
      [65536, 3, 30_000, 250, 20],
    );
  });

  it('--hid takes 12 hex digits and implies fixed', () => {
    const config = resolve(['--hid', '02:42:ac:11:00:09']);
    assert.equal(config.hardwareIdType, 'fixed');
    assert.equal(Buffer.from((config.generator.node as { hardwareId: Uint8Array }).hardwareId).toString('hex'), '0242ac110009');
  });

  it('takes the token from --auth-token-file, then FLAKERY_AUTH_TOKEN, then the config file', async () => {
    const tokenFile = await file('token', 'from-file\n');
    const config = await file('c.yml', 'authToken: from-config\n');
    assert.equal(text(resolve(['--config', config]).authToken), 'from-config');
    assert.equal(text(resolve(['--config', config], { FLAKERY_AUTH_TOKEN: 'from-env' }).authToken), 'from-env');
    assert.equal(text(resolve(['--config', config, '--auth-token-file', tokenFile], { FLAKERY_AUTH_TOKEN: 'e' }).authToken), 'from-file');
    assert.equal(text(resolve(['--auth-token', 'from-flag']).authToken), 'from-flag');
  });

  it('reads an overt-flake config file; flags override it', async () => {
    const path = await file('server.yml', 'ipAddr: 0.0.0.0:4444\ngenType: twitter\nmachineId: 5\nepoch: 1288834974657\n');
    const fromFile = resolve(['--config', path]);
    assert.deepEqual(fromFile.listen, { host: '0.0.0.0', port: 4444 });
    assert.deepEqual(fromFile.generator.node, { workerId: 5 });
    const overridden = resolve(['--config', path, '--listen', '127.0.0.1:0', '--machine-id', '6']);
    assert.deepEqual(overridden.listen, { host: '127.0.0.1', port: 0 });
    assert.deepEqual(overridden.generator.node, { workerId: 6 });
  });

  it('stays strict with the config files ofsrvr reads leniently (docs/ofsrvr.md)', async () => {
    const cases: [string, string, RegExp][] = [
      ['logLevel: debug\n', 'ERR_CONFIG_FILE', /unknown key "logLevel"/],
      ['genType: twitter\nhidType: mac\nmachineId: 5\n', 'ERR_INVALID_OPTION', /hidType does not apply to the snowflake layout/],
      ['genType: twitter\nmachineId: 5\nepoch: 1483228800000\nhardwareId: abcdef\n', 'ERR_INVALID_OPTION', /hardwareId does not apply/],
      ['genType: default\nmachineId: 0\n', 'ERR_INVALID_OPTION', /machineId does not apply to the overt layout/],
      ['genType: twitter\n', 'ERR_INVALID_OPTION', /is required for the snowflake layout/],
    ];
    for (const [yaml, code, pattern] of cases) {
      const path = await file('strict.yml', yaml);
      const strict = thrown(() => resolve(['--config', path]));
      assert.equal(strict.code, code, yaml);
      assert.match(strict.message, pattern);
    }
    // A file without epoch keeps the layout's default epoch (ofsrvr reads it as 0, as overt-flake does).
    const noEpoch = await file('no-epoch.yml', 'genType: default\nhidType: mac\n');
    assert.equal(resolve(['--config', noEpoch]).generator.epochMs, epochs.overtone);
    // The twitter epoch is taken from the file as given, not forced.
    const epoch = await file('epoch.yml', 'genType: twitter\nmachineId: 5\nepoch: 1483228800000\n');
    assert.equal(resolve(['--config', epoch]).generator.epochMs, epochs.overtone);
  });

  it('rejects bad values naming the flag, and never quotes the token', async () => {
    const empty = await file('empty-token', '\n');
    const cases: [string[], string, RegExp][] = [
      [['--layout', 'snowflake'], '--machine-id', /^--machine-id is required for the snowflake layout/],
      [['--max-count', '0'], '--max-count', /from 1 to/],
      [['--idle-timeout', 'soon'], '--idle-timeout', /duration/],
      [['--max-clock-wait', '2m'], '--max-clock-wait', /0 to 60000 ms/],
      [['--hid', 'abcdef'], '--hid', /12 hex digits/],
      [['--hid-type', 'fixed'], '--hid-type', /needs --hid/],
      [['--listen', 'localhost'], '--listen', /host:port/],
      [['--auth-token', 'secret-value', '--auth-token-file', empty], '--auth-token', /not both/],
      [['--auth-token-file', empty], '--auth-token-file', /empty/],
      [['--auth-token', `secret-value${'x'.repeat(300)}`], '--auth-token', /at most 255 bytes/],
      [['--epoch', '9999999999999'], '--epoch', /before the epoch/],
      [['--layout', 'uuidv7', '--epoch', 'twitter'], '--epoch', /cannot be changed for the uuidv7 layout/],
      [['--layout', 'uuidv7', '--machine-id', '3'], '--machine-id', /does not apply to the uuidv7 layout/],
    ];
    for (const [args, option, pattern] of cases) {
      const caught = thrown(() => resolve(args));
      assert.equal(caught.option, option, args.join(' '));
      assert.match(caught.message, pattern);
      assert.ok(!caught.message.includes('secret-value'));
    }
    assert.equal(thrown(() => resolve(['extra'])).code, 'ERR_USAGE');
  });
});
