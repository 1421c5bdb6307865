import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { FlakeryError } from '../../errors.js';
import { HARDWARE_ID_BYTES } from '../../layouts/OvertNode.js';
import type { HardwareIdProviders } from '../../options/HardwareIdProviders.js';
import { type InterfaceMac, networkMacs } from './networkMacs.js';

/** Where the 6-byte hardware id of the overt layouts comes from. */
export type HardwareIdType = 'mac' | 'simple' | 'host' | 'fixed';

export const hardwareIdTypes: readonly HardwareIdType[] = ['mac', 'simple', 'host', 'fixed'];

/** What a provider reads from the machine; injectable so tests need no particular host. */
export interface MachineFacts {
  macs(): InterfaceMac[];
  hostname(): string;
  /** A file's text, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
}

export const localMachine: MachineFacts = {
  macs: () => networkMacs(),
  hostname: () => hostname(),
  readText: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** overt-flake's `mac`: SHA-1 over all interfaces' MAC addresses, concatenated; the first 6 bytes. */
export function macHardwareId(machine: MachineFacts = localMachine): Uint8Array {
  const hash = createHash('sha1');
  for (const { mac } of requireMacs(machine, 'mac')) hash.update(mac);
  return new Uint8Array(hash.digest().subarray(0, HARDWARE_ID_BYTES));
}

/** overt-flake's `simple`: the first interface's MAC address as it is. */
export function simpleHardwareId(machine: MachineFacts = localMachine): Uint8Array {
  const first = requireMacs(machine, 'simple').find(({ mac }) => mac.length >= HARDWARE_ID_BYTES);
  if (!first) throw new FlakeryError('ERR_HARDWARE_ID', 'hardware id type "simple" found no 6-byte MAC address');
  return first.mac.slice(0, HARDWARE_ID_BYTES);
}

/**
 * `host`: SHA-1 over the MAC addresses and the host's identity — hostname, /etc/machine-id and
 * the kernel's boot id. Containers often run as pid 1 with a MAC derived from their IP address,
 * so two containers on different hosts can share MAC and pid; their kernels' boot ids and
 * their hostnames still differ. The id changes when the host reboots, which costs nothing:
 * uniqueness needs a different id per live node, not the same one forever.
 */
export function hostHardwareId(machine: MachineFacts = localMachine): Uint8Array {
  const hash = createHash('sha1');
  for (const { mac } of machine.macs()) hash.update(mac);
  hash.update(`\0host:${machine.hostname()}`);
  hash.update(`\0machine-id:${machine.readText('/etc/machine-id')?.trim() ?? ''}`);
  hash.update(`\0boot-id:${machine.readText('/proc/sys/kernel/random/boot_id')?.trim() ?? ''}`);
  return new Uint8Array(hash.digest().subarray(0, HARDWARE_ID_BYTES));
}

function requireMacs(machine: MachineFacts, type: HardwareIdType): InterfaceMac[] {
  const macs = machine.macs();
  if (macs.length === 0) {
    throw new FlakeryError(
      'ERR_HARDWARE_ID',
      `hardware id type "${type}" found no network interface with a MAC address; use "host", or "fixed" with a hardware id`,
    );
  }
  return macs;
}

/** The named hardware ids of the Node entry, read from `machine` when a generator asks. */
export function nodeHardwareIds(machine: MachineFacts = localMachine): Required<HardwareIdProviders> {
  return {
    mac: () => macHardwareId(machine),
    simple: () => simpleHardwareId(machine),
    host: () => hostHardwareId(machine),
  };
}
