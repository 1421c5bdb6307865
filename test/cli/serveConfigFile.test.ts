import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveOpsFlags } from '../../src/cli/opsFlags.js';
import { parseArgs } from '../../src/cli/parseArgs.js';
import { serveCommandFlags } from '../../src/cli/serveCommand.js';
import { readServeConfigFile, serveConfigKey } from '../../src/cli/serveConfigFile.js';
import { resolveServeConfig } from '../../src/cli/serveFlags.js';
import { serveSources } from '../../src/cli/serveSources.js';
import type { ServerConfig } from '../../src/server/ServerConfig.js';
import { repoRoot } from '../support/paths.js';
import { thrown } from '../support/thrown.js';
import { runInProcess } from './runFlakery.js';

const flags = serveCommandFlags;
const examplePath = join(repoRoot, 'docs', 'flakery-serve.example.yaml');
const machine = {
  macs: () => [{ name: 'eth0', mac: Uint8Array.from([2, 0x42, 0xac, 0x11, 0, 2]) }],
  hostname: () => 'h',
  readText: () => undefined,
};

function sources(args: string[]) {
  return serveSources(parseArgs(args, flags, 'flakery serve'), flags);
}

function resolve(args: string[], env: Record<string, string> = {}): ServerConfig {
  return resolveServeConfig(sources(args), env, machine);
}

/** The config without where each value came from (`…From` fields), which differs between a flag and a key. */
function settled(config: ServerConfig): Partial<ServerConfig> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => !key.endsWith('From')));
}

const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString() : undefined);

let dir: string;
before(async () => (dir = await mkdtemp(join(tmpdir(), 'serve-config-'))));
after(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('flakery serve --config in the serve format', () => {
  // Before: read whole, then parsed: --config /dev/zero grew to 4 GiB in 10 s, a 100 MB file of
  // spaces was still being parsed after 20 s.
  it('refuses a file larger than 1 MiB before parsing it, as it refuses a directory', async () => {
    const path = await file('huge.yaml', `${' '.repeat(1024 * 1024)}\nmachine-id: 3\n`);
    const error = thrown(() => sources(['--config', path]));
    assert.equal(error.code, 'ERR_CONFIG_FILE');
    assert.match(error.message, new RegExp(`config file ${path} is larger than 1 MiB`));
    assert.equal(thrown(() => sources(['--config', '/dev/zero'])).code, 'ERR_CONFIG_FILE');
  });

  it('accepts a file with http (an operator flag): the bad value is reported by its key, not as an unknown key', async () => {
    const path = await file('http.yaml', 'listen: 127.0.0.1:0\nhttp: nowhere\n');
    const result = await runInProcess(['serve', '--config', path]);
    assert.equal(result.status, 2);
    assert.doesNotMatch(result.stderr, /unknown key/);
    assert.match(result.stderr, new RegExp(`${path}: http must be host:port`));
  });

  it('every flakery serve flag is a key (derived from the flags table), but config and auth-token', () => {
    const refused = ['config', 'authToken'];
    for (const [name, spec] of Object.entries(flags)) {
      const key = serveConfigKey(spec);
      const path = join(dir, `${key}.yaml`);
      writeFileSync(path, `${key}: ${'value' in spec ? 'some-value' : 'true'}\n`);
      if (refused.includes(name)) {
        assert.equal(thrown(() => readServeConfigFile(path, flags, { config: 'no', authToken: 'no' })).code, 'ERR_CONFIG_FILE', key);
        continue;
      }
      const read = readServeConfigFile(path, flags, {});
      assert.equal(read.format, 'serve', key);
      const setting = (read as { values: Record<string, { from: string }> }).values[name];
      assert.equal(setting?.from, `${path}: ${key}`, key);
    }
  });

  it('maps every key onto the ServerConfig and the operator config, as the flags do', async () => {
    const path = await file(
      'all.yaml',
      [
        'listen: "[::1]:0"', 'layout: snowflake', 'epoch: discord', 'machine-id: 7', 'datacenter-id: 1', 'wait-for: 1700000000000',
        'max-count: 65536', 'max-connections: 3', 'idle-timeout: 30s', 'auth-timeout: 250ms', 'max-clock-wait: 20',
        'state-file: state', 'max-start-wait: 3s', 'http: 127.0.0.1:0', 'log-level: debug', '',
      ].join('\n'),
    );
    const fromFile = resolve(['--config', path]);
    const fromFlags = resolve([
      '--listen', '[::1]:0', '--layout', 'snowflake', '--epoch', 'discord', '--machine-id', '7', '--datacenter-id', '1',
      '--wait-for', '1700000000000', '--max-count', '65536', '--max-connections', '3', '--idle-timeout', '30s',
      '--auth-timeout', '250ms', '--max-clock-wait', '20', '--state-file', join(dir, 'state'), '--max-start-wait', '3s',
    ]);
    assert.deepEqual(settled(fromFile), settled(fromFlags));
    assert.equal(fromFile.stateFile, join(dir, 'state'), 'a relative path is relative to the file');
    assert.deepEqual(resolveOpsFlags(sources(['--config', path]).values), { http: { host: '127.0.0.1', port: 0 }, inspector: true, tls: undefined, logLevel: 'debug', logFormat: 'pretty' });
  });

  it('flags override the file', async () => {
    const path = await file('override.yaml', 'layout: snowflake\nmachine-id: 5\nlisten: 0.0.0.0:4444\nlog-level: debug\n');
    const config = resolve(['--config', path, '--machine-id', '6', '--listen', '127.0.0.1:0']);
    assert.deepEqual(config.generator.node, { workerId: 6 });
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 0 });
    assert.equal(resolveOpsFlags(sources(['--config', path, '--log-level', 'warn']).values).logLevel, 'warn');
  });

  it('checks values with the flags\' checks and messages, naming FILE: key', async () => {
    const cases: [string, string, string][] = [
      ['max-count', '0', '--max-count'],
      ['idle-timeout', 'soon', '--idle-timeout'],
      ['hid', 'abcdef', '--hid'],
      ['listen', 'localhost', '--listen'],
      ['layout', 'twitter', '--layout'],
      ['log-level', 'loud', '--log-level'],
      ['http', 'localhost', '--http'],
    ];
    for (const [key, value, flag] of cases) {
      const path = await file('bad.yaml', `${key}: ${value}\n`);
      const resolveBoth = (args: string[]) => {
        const given = sources(args);
        resolveOpsFlags(given.values);
        return resolveServeConfig(given, {}, machine);
      };
      const fromFile = thrown(() => resolveBoth(['--config', path]));
      const fromFlag = thrown(() => resolveBoth([flag, value]));
      assert.equal(fromFile.option, `${path}: ${key}`, key);
      assert.equal(fromFile.message, fromFlag.message.replaceAll(flag, `${path}: ${key}`), key);
    }
  });

  it('reads values as text, as a flag would get them: a hardware id keeps its leading zero', async () => {
    const path = await file('hid.yaml', 'hid: 024211000200\n');
    const node = resolve(['--config', path]).generator.node as { hardwareId: Uint8Array };
    assert.equal(Buffer.from(node.hardwareId).toString('hex'), '024211000200');
  });

  it('refuses an unknown key naming the file and the nearest key', async () => {
    const cases: [string, RegExp][] = [
      ['maxCount: 5\n', /unknown key "maxCount"; did you mean "max-count"\?/],
      ['htpp: 127.0.0.1:0\n', /unknown key "htpp"; did you mean "http"\?/],
      ['colour: blue\n', /unknown key "colour"; the keys are flakery serve's long flags/],
    ];
    for (const [yaml, pattern] of cases) {
      const path = await file('unknown.yaml', yaml);
      const caught = thrown(() => resolve(['--config', path]));
      assert.equal(caught.code, 'ERR_CONFIG_FILE');
      assert.match(caught.message, pattern);
      assert.ok(caught.message.startsWith(`${path}: `));
    }
  });

  it('refuses a token in the file, without repeating it, and a nested config file', async () => {
    const token = await file('token.yaml', 'auth-token: s3cret-in-file\n');
    const caught = thrown(() => resolve(['--config', token]));
    assert.equal(caught.code, 'ERR_CONFIG_FILE');
    assert.match(caught.message, /auth-token: a token does not belong in a config file.*auth-token-file/);
    assert.ok(!caught.message.includes('s3cret-in-file'));
    const nested = await file('nested.yaml', 'config: other.yaml\n');
    assert.match(thrown(() => resolve(['--config', nested])).message, /cannot name another/);
  });

  it('takes secrets from files it names, relative to it, after the flags and the environment', async () => {
    await mkdir(join(dir, 'secrets'), { recursive: true });
    await writeFile(join(dir, 'secrets', 'token'), 'from-key-file\n');
    await writeFile(join(dir, 'secrets', 'redis'), 'redis-pass\n');
    const flagToken = await file('flag-token', 'from-flag-file\n');
    const path = await file('secrets.yaml', 'auth-token-file: secrets/token\nlayout: snowflake\nworker-id-from: redis://127.0.0.1:6379/0\nredis-password-file: secrets/redis\n');
    assert.equal(text(resolve(['--config', path]).authToken), 'from-key-file');
    assert.equal(resolve(['--config', path]).workerIdLease.password, 'redis-pass');
    assert.equal(text(resolve(['--config', path], { FLAKERY_AUTH_TOKEN: 'from-env' }).authToken), 'from-env');
    assert.equal(text(resolve(['--config', path, '--auth-token-file', flagToken], { FLAKERY_AUTH_TOKEN: 'e' }).authToken), 'from-flag-file');
    assert.equal(resolve(['--config', path], { FLAKERY_REDIS_PASSWORD: 'env-pass' }).workerIdLease.password, 'env-pass');
    const empty = await file('empty-token.yaml', `auth-token-file: ${join(dir, 'missing')}\n`);
    assert.equal(thrown(() => resolve(['--config', empty])).option, `${empty}: auth-token-file`);
  });

  it('an empty value leaves the default; an empty file is no settings', async () => {
    assert.deepEqual(resolve(['--config', await file('blank.yaml', 'listen:\nmax-count: ""\n')]), resolve([]));
    assert.deepEqual(resolve(['--config', await file('empty.yaml', '# nothing\n')]), resolve([]));
    const list = await file('list.yaml', 'max-count: [1, 2]\n');
    assert.match(thrown(() => resolve(['--config', list])).message, /max-count must be one value, as its flag takes: an integer from 1 to/);
  });
});

describe('flakery serve --config: which format a file is in', () => {
  it('a file with overt-flake\'s keys is read as overt-flake reads it (YAML 1.1, its meanings)', async () => {
    const path = await file('overt-flake.yml', 'ipAddr: 127.0.0.1:0\ngenType: twitter\nmachineId: 5\nepoch: 1288834974657\n');
    assert.equal(readServeConfigFile(path, flags, {}).format, 'overt-flake');
    const config = resolve(['--config', path]);
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 0 });
    assert.deepEqual(config.generator.node, { workerId: 5 });
  });

  it('epoch, the one key both formats have, means the same in both', async () => {
    const path = await file('epoch.yml', 'epoch: 1288834974657\n');
    const both = await file('epoch-overt-flake.yml', 'epoch: 1288834974657\nhidType: mac\n');
    assert.equal(resolve(['--config', path]).generator.epochMs, 1288834974657);
    assert.equal(resolve(['--config', both]).generator.epochMs, 1288834974657);
  });

  it('a file mixing the formats is refused, naming the keys of each', async () => {
    const path = await file('mixed.yml', 'ipAddr: 127.0.0.1:4444\nhttp: 127.0.0.1:8080\n');
    const caught = thrown(() => resolve(['--config', path]));
    assert.equal(caught.code, 'ERR_CONFIG_FILE');
    assert.match(caught.message, /mixes overt-flake's keys \(ipAddr\) with flakery serve's \(http\)/);
  });
});

describe('docs/flakery-serve.example.yaml', () => {
  const example = readFileSync(examplePath, 'utf8');

  it('names every flakery serve flag as a key, set or commented out (but config, and auth-token, refused in a file)', () => {
    for (const [name, spec] of Object.entries(flags)) {
      if (name === 'config' || name === 'authToken') continue;
      const key = serveConfigKey(spec);
      assert.match(example, new RegExp(`^(# )?${key}:`, 'm'), `${key} is missing from ${examplePath}`);
    }
  });

  it('loads through flakery serve --config and gives every default, as no file does', () => {
    const withExample = sources(['--config', examplePath]);
    assert.deepEqual(settled(resolveServeConfig(withExample, {}, machine)), settled(resolve([])));
    assert.deepEqual(resolveOpsFlags(withExample.values), resolveOpsFlags({}));
    assert.ok(Object.keys(withExample.file).length >= 10, 'the example sets the defaults it shows');
  });
});

describe('docs/operations.md', () => {
  it('its config file example has only keys flakery serve knows', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'operations.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## A config file'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(yaml !== undefined, 'docs/operations.md has a YAML example under "A config file"');
    const path = join(dir, 'operations-example.yaml');
    writeFileSync(path, yaml);
    const read = readServeConfigFile(path, flags, {});
    assert.equal(read.format, 'serve');
    assert.equal(Object.keys((read as { values: object }).values).length, yaml.trim().split('\n').length);
  });
});
