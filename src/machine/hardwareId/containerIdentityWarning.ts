import type { InterfaceMac } from './networkMacs.js';

/**
 * A warning for the overt layouts when this process may share its (hardware id, pid) with
 * another node: it runs as pid 1 and its MACs are locally administered, as a container's
 * are. Undefined when there is nothing to warn of.
 */
export function containerIdentityWarning(pid: number, macs: readonly InterfaceMac[], hardwareIdType: string): string | undefined {
  if (pid !== 1 || hardwareIdType === 'host' || hardwareIdType === 'fixed') return undefined;
  const local = macs.filter(({ mac }) => ((mac[0] ?? 0) & 0x02) !== 0);
  if (local.length === 0 || local.length < macs.length) return undefined;
  return (
    `running as pid 1 with locally administered MAC addresses (${local.map(({ name }) => name).join(', ')}), ` +
    `as in a container: another container on another host may have the same MAC and pid and make the same IDs. ` +
    `Use the "host" hardware id type (--hid-type host), which mixes in the hostname, /etc/machine-id and the boot id.`
  );
}
