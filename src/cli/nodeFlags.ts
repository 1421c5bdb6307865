import { InvalidOptionError } from '../errors.js';
import type { Layout } from '../layouts/Layout.js';
import { MAX_DATACENTER_ID, MAX_TWITTER_MACHINE_ID, MAX_WORKER_ID } from '../layouts/SnowflakeLayout.js';
import { hardwareIdFromHex } from '../options/fixedHardwareId.js';
import { type HardwareIdType, hardwareIdTypes } from '../machine/hardwareId/hardwareIdProviders.js';
import type { GeneratorOptions } from '../options/GeneratorOptions.js';
import { snowflakeWorkerId } from '../options/snowflakeWorkerId.js';
import { choiceOption } from './choiceOption.js';
import type { FlagSpecs, FlagValues } from './parseArgs.js';

/**
 * The flags that name the node an ID comes from: a worker id for snowflake, a hardware id
 * for overt, overt53 and uuidv7 (their process id is the pid). Every command that makes IDs takes them.
 */
export const nodeFlags = {
  machineId: {
    flag: '--machine-id',
    value: 'N',
    accepts: `an integer from 0 to ${MAX_WORKER_ID}`,
    description: `snowflake (required): the worker id, 0 to ${MAX_WORKER_ID}, unique among running generators`,
  },
  datacenterId: {
    flag: '--datacenter-id',
    value: 'N',
    accepts: `an integer from 0 to ${MAX_DATACENTER_ID}`,
    description: `snowflake: 0 to ${MAX_DATACENTER_ID}; then --machine-id is 0 to ${MAX_TWITTER_MACHINE_ID} (Twitter style)`,
  },
  hidType: {
    flag: '--hid-type',
    value: 'TYPE',
    accepts: `one of ${hardwareIdTypes.join(', ')}`,
    description: 'overt, overt53, uuidv7: mac (default), simple, host (use in containers) or fixed',
  },
  hid: {
    flag: '--hid',
    value: 'HEX',
    accepts: '12 hex digits',
    description: 'overt, overt53, uuidv7: a fixed hardware id, 12 hex digits (implies --hid-type fixed)',
  },
} as const satisfies FlagSpecs;

/** The node options for `createGenerator`, checked, and the hardware id type for warnings. */
export interface NodeChoice {
  readonly options: Pick<GeneratorOptions, 'machineId' | 'datacenterId' | 'hardwareId'>;
  /** overt, overt53 and uuidv7 only. */
  readonly hardwareIdType?: HardwareIdType;
}

/** Checks the node flags for `layout`; a flag of the other kind of layout is refused. */
export function resolveNodeFlags(layout: Layout<unknown>, values: FlagValues<typeof nodeFlags>): NodeChoice {
  const forbid = (...keys: (keyof typeof nodeFlags)[]) => {
    for (const key of keys) {
      if (values[key] !== undefined) {
        const { flag } = nodeFlags[key];
        throw new InvalidOptionError(flag, `${flag} does not apply to the ${layout.name} layout`);
      }
    }
  };
  if (layout.nodeKind?.kind === 'worker') {
    forbid('hidType', 'hid');
    return { options: workerIds(values.machineId, values.datacenterId) };
  }
  forbid('machineId', 'datacenterId');
  const hardwareIdType = resolveHardwareIdType(values.hidType, values.hid);
  const hardwareId = hardwareIdType === 'fixed' ? hardwareIdFromHex(nodeFlags.hid.flag, values.hid ?? '') : hardwareIdType;
  return { options: { hardwareId }, hardwareIdType };
}

function workerIds(machineId: string | undefined, datacenterId: string | undefined): NodeChoice['options'] {
  const names = { machineId: nodeFlags.machineId.flag, datacenterId: nodeFlags.datacenterId.flag };
  const ids = snowflakeWorkerId(
    machineId === undefined ? undefined : { value: machineId, name: names.machineId },
    datacenterId === undefined ? undefined : { value: datacenterId, name: names.datacenterId },
    names,
  );
  return ids.datacenterId === undefined ? { machineId: ids.machineId } : { machineId: ids.machineId, datacenterId: ids.datacenterId };
}

/** `--hid` implies `fixed`, and `fixed` needs `--hid`. */
function resolveHardwareIdType(type: string | undefined, hid: string | undefined): HardwareIdType {
  const { hidType: typeFlag, hid: hidFlag } = nodeFlags;
  if (type === undefined) return hid === undefined ? 'mac' : 'fixed';
  const checked = choiceOption(typeFlag.flag, type, hardwareIdTypes);
  if (checked === 'fixed' && hid === undefined) {
    throw new InvalidOptionError(hidFlag.flag, '--hid-type fixed needs --hid: 12 hex digits (6 bytes), e.g. 0242ac110002');
  }
  if (checked !== 'fixed' && hid !== undefined) {
    throw new InvalidOptionError(hidFlag.flag, `--hid gives a fixed hardware id, which contradicts --hid-type ${checked}`);
  }
  return checked;
}
