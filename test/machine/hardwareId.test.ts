import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FlakeryError, InvalidOptionError } from '../../src/index.js';
import { containerIdentityWarning } from '../../src/machine/hardwareId/containerIdentityWarning.js';
import { hardwareIdFromHex, hardwareIdFromString } from '../../src/options/fixedHardwareId.js';
import {
  type MachineFacts,
  hostHardwareId,
  macHardwareId,
  simpleHardwareId,
} from '../../src/machine/hardwareId/hardwareIdProviders.js';
import { networkMacs, parseMac } from '../../src/machine/hardwareId/networkMacs.js';

const eth0 = { name: 'eth0', mac: Uint8Array.from([0x02, 0x42, 0xac, 0x11, 0x00, 0x02]) };
const eth1 = { name: 'eth1', mac: Uint8Array.from([0x00, 0x16, 0x3e, 0x01, 0x02, 0x03]) };

function machine(overrides: Partial<MachineFacts> & { files?: Record<string, string> } = {}): MachineFacts {
  return {
    macs: () => [eth0, eth1],
    hostname: () => 'node-a',
    readText: (path) => overrides.files?.[path],
    ...overrides,
  };
}

describe('hardware ids', () => {
  it('mac: the first 6 bytes of SHA-1 over all MACs in interface order, as overt-flake', () => {
    const expected = createHash('sha1').update(Buffer.concat([eth0.mac, eth1.mac])).digest().subarray(0, 6);
    assert.deepEqual(Buffer.from(macHardwareId(machine())), expected);
  });

  it('simple: the first MAC as it is', () => {
    assert.deepEqual(simpleHardwareId(machine()), eth0.mac);
  });

  it('mac and simple fail clearly without any MAC', () => {
    const bare = machine({ macs: () => [] });
    for (const provider of [macHardwareId, simpleHardwareId]) {
      assert.throws(() => provider(bare), (e: unknown) => e instanceof FlakeryError && e.code === 'ERR_HARDWARE_ID' && /no network interface/.test(e.message));
    }
  });

  it('host: containers with the same MAC and hostname differ by their kernel boot id', () => {
    const a = hostHardwareId(machine({ files: { '/proc/sys/kernel/random/boot_id': 'aaaa' } }));
    const b = hostHardwareId(machine({ files: { '/proc/sys/kernel/random/boot_id': 'bbbb' } }));
    const c = hostHardwareId(machine({ hostname: () => 'node-b', files: { '/proc/sys/kernel/random/boot_id': 'aaaa' } }));
    assert.equal(a.length, 6);
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.deepEqual(a, hostHardwareId(machine({ files: { '/proc/sys/kernel/random/boot_id': 'aaaa' } })));
  });

  it('host works on a machine with no MAC at all', () => {
    assert.equal(hostHardwareId(machine({ macs: () => [] })).length, 6);
  });

  it('fixed from hex: 12 digits, separators allowed', () => {
    assert.deepEqual(hardwareIdFromHex('--hid', '02:42:ac:11:00:02'), eth0.mac);
    assert.throws(() => hardwareIdFromHex('--hid', '0242ac1100'), (e: unknown) => e instanceof InvalidOptionError && e.option === '--hid');
  });

  it('fixed from an overt-flake -hid string: its first 6 bytes', () => {
    assert.deepEqual(hardwareIdFromString('-hid', 'abcdefgh'), Uint8Array.from([0x61, 0x62, 0x63, 0x64, 0x65, 0x66]));
    assert.throws(() => hardwareIdFromString('-hid', 'abc'), /at least 6 bytes/);
  });

  it('reads /sys/class/net in interface-index order, skipping all-zero addresses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flakery-net-'));
    try {
      const link = (name: string, index: number, address: string) => {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, 'ifindex'), `${index}\n`);
        writeFileSync(join(dir, name, 'address'), `${address}\n`);
      };
      link('lo', 1, '00:00:00:00:00:00');
      link('wlan0', 3, '00:16:3e:01:02:03');
      link('eth0', 2, '02:42:ac:11:00:02');
      link('tun0', 4, '');
      assert.deepEqual(networkMacs(dir), [eth0, { ...eth1, name: 'wlan0' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses MAC text', () => {
    assert.deepEqual(parseMac('02:42:AC:11:00:02\n'), eth0.mac);
    assert.equal(parseMac(''), undefined);
    assert.equal(parseMac('zz:00'), undefined);
  });

  it('warns of a container identity only as pid 1 with locally administered MACs', () => {
    assert.match(containerIdentityWarning(1, [eth0], 'mac') ?? '', /--hid-type host/);
    assert.equal(containerIdentityWarning(1, [eth0], 'host'), undefined);
    assert.equal(containerIdentityWarning(1, [eth0, eth1], 'mac'), undefined);
    assert.equal(containerIdentityWarning(4242, [eth0], 'mac'), undefined);
  });
});
