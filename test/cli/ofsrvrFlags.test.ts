import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ofsrvrFlags, resolveOfsrvrConfig } from '../../src/cli/ofsrvrFlags.js';
import { parseArgs } from '../../src/cli/parseArgs.js';
import { epochs } from '../../src/index.js';
import type { MachineFacts } from '../../src/machine/hardwareId/hardwareIdProviders.js';
import type { ServerConfig } from '../../src/server/ServerConfig.js';

/** A machine with one known MAC, so `mac` and `simple` work anywhere. */
const machine: MachineFacts = {
  macs: () => [{ name: 'eth0', mac: Uint8Array.from([0x02, 0x42, 0xac, 0x11, 0x00, 0x02]) }],
  hostname: () => 'test-host',
  readText: () => undefined,
};

function resolve(args: string[], env: Record<string, string> = {}): ServerConfig {
  return resolveOfsrvrConfig(parseArgs(args, ofsrvrFlags, 'ofsrvr'), env, machine);
}

const hex = (bytes: unknown) => Buffer.from(bytes as Uint8Array).toString('hex');
const node = (config: ServerConfig) => config.generator.node as { hardwareId?: Uint8Array; workerId?: number };

function error(fn: () => unknown): { code: string; option?: string; message: string } {
  try {
    fn();
  } catch (caught) {
    return caught as { code: string; option?: string; message: string };
  }
  return assert.fail('expected an error');
}

describe('ofsrvr flags: overt-flake meanings', () => {
  it('defaults as overt-flake: every interface, port 4444, overt, overtone epoch, mac hardware id, no auth', () => {
    const config = resolve([]);
    assert.deepEqual(config.listen, { host: '0.0.0.0', port: 4444 });
    assert.equal(config.layout, 'overt');
    assert.equal(config.generator.epochMs, epochs.overtone);
    assert.equal(config.hardwareIdType, 'mac');
    assert.equal(config.authToken, undefined);
    assert.equal(config.generator.notBeforeUnixMs, 0);
  });

  for (const [gentype, layout] of [
    ['default', 'overt'],
    ['of53', 'overt53'],
    ['twitter', 'snowflake'],
  ] as const) {
    it(`-gentype ${gentype} makes ${layout} IDs`, () => {
      const extra = layout === 'snowflake' ? ['-machineid', '9'] : [];
      assert.equal(resolve(['-gentype', gentype, ...extra]).layout, layout);
    });
  }

  it('-hid takes a string and uses its first 6 bytes, with -hidtype fixed', () => {
    const config = resolve(['-hidtype', 'fixed', '-hid', 'abcdefgh']);
    assert.equal(hex(node(config).hardwareId), '616263646566');
    assert.equal(config.hardwareIdType, 'fixed');
  });

  it('-hidtype simple and mac read the MACs', () => {
    assert.equal(hex(node(resolve(['-hidtype', 'simple'])).hardwareId), '0242ac110002');
    assert.equal(resolve(['-hidtype', 'MAC']).hardwareIdType, 'mac'); // case-insensitive, as strings.ToLower
  });

  it('-ip, -epoch, -waitfor, -auth, -machineid, -datacenterid', () => {
    const config = resolve(['-ip', '127.0.0.1:0', '-epoch', '1288834974657', '-waitfor', '1700000000000', '-auth', 'tok']);
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 0 });
    assert.equal(config.generator.epochMs, 1288834974657);
    assert.equal(config.generator.notBeforeUnixMs, 1700000000000);
    assert.equal(Buffer.from(config.authToken!).toString(), 'tok');
    assert.equal(node(resolve(['-gentype', 'twitter', '-machineid', '3', '-datacenterid', '2'])).workerId, (2 << 5) | 3);
    assert.equal(node(resolve(['-gentype', 'twitter', '-machineid', '1000'])).workerId, 1000);
  });

  it('accepts Go spellings: --flag and -flag=value; -epoch -1 means the default', () => {
    assert.deepEqual(resolve(['--ip', '127.0.0.1:5']).listen, { host: '127.0.0.1', port: 5 });
    assert.deepEqual(resolve(['-ip=127.0.0.1:6']).listen, { host: '127.0.0.1', port: 6 });
    assert.equal(resolve(['-epoch', '-1']).generator.epochMs, epochs.overtone);
  });

  it('takes the token from FLAKERY_AUTH_TOKEN unless -auth is given', () => {
    assert.equal(Buffer.from(resolve([], { FLAKERY_AUTH_TOKEN: 'env' }).authToken!).toString(), 'env');
    assert.equal(Buffer.from(resolve(['-auth', 'flag'], { FLAKERY_AUTH_TOKEN: 'env' }).authToken!).toString(), 'flag');
  });

  for (const [args, option, pattern] of [
    [['-hid', 'abcdef'], '-hid', /requires -hidtype fixed/],
    [['-hidtype', 'fixed'], '-hidtype', /needs -hid/],
    [['-hidtype', 'fixed', '-hid', 'abc'], '-hid', /at least 6 bytes/],
    [['-hidtype', 'random'], '-hidtype', /mac, simple, host, fixed/],
    [['-gentype', 'uuid'], '-gentype', /default, of53, twitter/],
    [['-gentype', 'twitter', '-machineid', '1024'], '-machineid', /from 0 to 1023; got "1024" \(overt-flake would write it over other bits/],
    [['-gentype', 'twitter', '-machineid', '-3'], '-machineid', /from 0 to 1023/],
    [['-gentype', 'twitter', '-machineid', '3', '-datacenterid', '32'], '-datacenterid', /from 0 to 31/],
    [['-ip', '4444'], '-ip', /host:port/],
    [['-epoch', 'soon'], '-epoch', /milliseconds since the Unix epoch/],
    [['-waitfor', 'x'], '-waitfor', /integer/],
    [['-auth', 'x'.repeat(256)], '-auth', /at most 255 bytes/],
    [['-x'], '-x', /unknown option/],
  ] as const) {
    it(`rejects ${args.join(' ').slice(0, 40)}, naming ${option}`, () => {
      const caught = error(() => resolve([...args]));
      assert.equal(caught.code, 'ERR_INVALID_OPTION');
      assert.equal(caught.option, option);
      assert.match(caught.message, pattern);
      assert.ok(!caught.message.includes('xxxxxxxx'), 'the token must not appear');
    });
  }
});

describe('ofsrvr -config: overt-flake YAML, flags override', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'ofsrvr-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  async function file(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it('reads every key, and flags win over the file', async () => {
    const path = await file(
      'full.yml',
      'ipAddr: 0.0.0.0:4444\nepoch: 1420070400000\nhidType: fixed\ngenType: default\nauthToken: from-file\nhardwareId: zyxwvu\n',
    );
    const fromFile = resolve(['-config', path]);
    assert.deepEqual(fromFile.listen, { host: '0.0.0.0', port: 4444 });
    assert.equal(fromFile.layout, 'overt');
    assert.equal(fromFile.generator.epochMs, epochs.discord);
    assert.equal(hex(node(fromFile).hardwareId), Buffer.from('zyxwvu').toString('hex'));
    assert.equal(Buffer.from(fromFile.authToken!).toString(), 'from-file');

    const overridden = resolve(['-config', path, '-ip', '127.0.0.1:0', '-epoch', '0', '-auth', 'flag', '-hidtype', 'simple']);
    assert.deepEqual(overridden.listen, { host: '127.0.0.1', port: 0 });
    assert.equal(overridden.generator.epochMs, 0);
    assert.equal(overridden.layout, 'overt');
    assert.equal(Buffer.from(overridden.authToken!).toString(), 'flag');
    // -hidtype simple drops the file's fixed id, as overt-flake only reads it for fixed.
    assert.equal(hex(node(overridden).hardwareId), '0242ac110002');
  });

  it('reads twitter machineId and dataCenterId, and hardwareId as a list of bytes', async () => {
    const twitter = resolve(['-config', await file('twitter.yml', 'genType: twitter\nmachineId: 4\ndataCenterId: 1\n')]);
    assert.equal(node(twitter).workerId, (1 << 5) | 4);
    const listed = resolve(['-config', await file('bytes.yml', 'hidType: fixed\nhardwareId: [1, 2, 3, 4, 5, 6]\n')]);
    assert.equal(hex(node(listed).hardwareId), '010203040506');
  });

  it('takes -hid over the file hardwareId, and empty values as unset', async () => {
    const path = await file('empty.yml', 'ipAddr: ""\nauthToken: ""\nhidType: fixed\nhardwareId: zyxwvu\n');
    const config = resolve(['-config', path, '-hid', 'abcdef']);
    assert.deepEqual(config.listen, { host: '0.0.0.0', port: 4444 });
    assert.equal(config.authToken, undefined);
    assert.equal(hex(node(config).hardwareId), '616263646566');
  });

  it('names the file and key in errors; a missing file is ERR_CONFIG_FILE; an unknown key a warning', async () => {
    const bad = error(() => resolve(['-config', 'x']));
    assert.equal(bad.code, 'ERR_CONFIG_FILE');
    const unknown = await file('typo.yml', 'ipaddr: 1.2.3.4:5\n');
    const warnings: string[] = [];
    const config = resolveOfsrvrConfig(parseArgs(['-config', unknown], ofsrvrFlags, 'ofsrvr'), {}, machine, (line) => warnings.push(line));
    assert.deepEqual(config.listen, { host: '0.0.0.0', port: 4444 }); // yaml.v2 matches keys by case
    assert.deepEqual(warnings, [`${unknown}: unknown key "ipaddr" is ignored, as overt-flake ignores it`]);
    const badEpoch = await file('epoch.yml', 'epoch: yesterday\n');
    const caught = error(() => resolve(['-config', badEpoch]));
    assert.equal(caught.option, `${badEpoch}: epoch`);
  });
});
