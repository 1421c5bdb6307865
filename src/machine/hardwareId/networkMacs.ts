import { readFileSync, readdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

/** One network interface's hardware address. */
export interface InterfaceMac {
  readonly name: string;
  readonly mac: Uint8Array;
}

/**
 * The non-zero hardware addresses of this machine's interfaces, in interface-index order, as
 * Go's `net.Interfaces()` lists them for overt-flake: on Linux every link in /sys/class/net
 * (also links that are down or have no IP address); elsewhere what Node can see.
 */
export function networkMacs(sysClassNet = '/sys/class/net'): InterfaceMac[] {
  const fromSys = readSysClassNet(sysClassNet);
  return (fromSys ?? readNodeInterfaces()).filter(({ mac }) => mac.some((byte) => byte !== 0));
}

function readSysClassNet(dir: string): InterfaceMac[] | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const links: { name: string; index: number; mac: Uint8Array }[] = [];
  for (const name of names) {
    try {
      const index = Number(readFileSync(`${dir}/${name}/ifindex`, 'utf8').trim());
      const mac = parseMac(readFileSync(`${dir}/${name}/address`, 'utf8'));
      if (mac) links.push({ name, index, mac });
    } catch {
      // A link that vanished while we looked, or one without an address file.
    }
  }
  return links.sort((a, b) => a.index - b.index).map(({ name, mac }) => ({ name, mac }));
}

function readNodeInterfaces(): InterfaceMac[] {
  const result: InterfaceMac[] = [];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    const mac = addresses?.[0] ? parseMac(addresses[0].mac) : undefined;
    if (mac) result.push({ name, mac });
  }
  return result;
}

/** `aa:bb:cc:dd:ee:ff` (any length of colon-separated hex pairs) as bytes. */
export function parseMac(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (!/^[0-9a-f]{2}(?::[0-9a-f]{2})*$/i.test(trimmed)) return undefined;
  return Uint8Array.from(trimmed.split(':'), (pair) => Number.parseInt(pair, 16));
}
