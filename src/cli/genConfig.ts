import { FlakeryError, InvalidOptionError } from '../errors.js';
import { type IdFormat, idFormats } from '../id/IdFormat.js';
import type { Layout } from '../layouts/Layout.js';
import { MAX_DATACENTER_ID, MAX_TWITTER_MACHINE_ID, MAX_WORKER_ID } from '../layouts/SnowflakeLayout.js';
import { hardwareIdFromHex } from '../machine/hardwareId/fixedHardwareId.js';
import { type HardwareIdType, hardwareIdTypes } from '../machine/hardwareId/hardwareIdProviders.js';
import type { GeneratorOptions } from '../options/GeneratorOptions.js';
import { integerOption, show } from '../options/integerOption.js';
import { choiceOption } from './choiceOption.js';
import { layoutFlags, requireUuidLayout, resolveLayoutFlags } from './layoutFlags.js';
import type { FlagSpecs, ParsedArgs } from './parseArgs.js';

/** The most IDs one `flakery gen` prints. */
export const MAX_COUNT = 1_000_000_000;

export const genFlags = {
  count: {
    flag: '--count',
    value: 'N',
    accepts: `an integer from 1 to ${MAX_COUNT}`,
    description: `how many IDs to print, 1 to ${MAX_COUNT} (default 1)`,
  },
  ...layoutFlags,
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
    description: `overt, overt53: mac (default), simple, host or fixed (see below)`,
  },
  hid: {
    flag: '--hid',
    value: 'HEX',
    accepts: '12 hex digits',
    description: 'overt, overt53: a fixed hardware id, 12 hex digits (implies --hid-type fixed)',
  },
  format: {
    flag: '--format',
    value: 'FORMAT',
    accepts: `one of ${idFormats.join(', ')}`,
    description: 'decimal (default), hex, or uuid (overt, overt53)',
  },
} as const satisfies FlagSpecs;

/** `flakery gen`'s command line, validated. */
export interface GenConfig {
  readonly count: number;
  readonly format: IdFormat;
  readonly layout: Layout<unknown>;
  /** For `createGenerator`; every value in it is already checked. */
  readonly generator: GeneratorOptions;
  /** overt and overt53 only. */
  readonly hardwareIdType?: HardwareIdType;
}

/**
 * Checks every flag of `flakery gen` once, naming the flag as the user wrote it and its
 * allowed values, so the library's checks behind it never see a bad value.
 */
export function resolveGenConfig({ values, positionals }: ParsedArgs<typeof genFlags>): GenConfig {
  if (positionals.length > 0) {
    throw new FlakeryError('ERR_USAGE', `flakery gen takes no arguments, only options; got ${show(positionals[0])}`);
  }
  const count = values.count === undefined ? 1 : integerOption(genFlags.count.flag, values.count, 1, MAX_COUNT);
  const { layout, epochMs } = resolveLayoutFlags(values);
  const format = choiceOption(genFlags.format.flag, values.format ?? 'decimal', idFormats);
  if (format === 'uuid') requireUuidLayout(genFlags.format.flag, layout);
  const base = { count, format, layout };
  const forbid = (...keys: (keyof typeof genFlags)[]) => {
    for (const key of keys) {
      if (values[key] !== undefined) {
        const flag = genFlags[key].flag;
        throw new InvalidOptionError(flag, `${flag} does not apply to the ${layout.name} layout`);
      }
    }
  };
  if (layout.name === 'snowflake') {
    forbid('hidType', 'hid');
    return { ...base, generator: { layout, epoch: epochMs, ...workerIds(values.machineId, values.datacenterId) } };
  }
  forbid('machineId', 'datacenterId');
  const hardwareIdType = resolveHardwareIdType(values.hidType, values.hid);
  const hardwareId = hardwareIdType === 'fixed' ? hardwareIdFromHex(genFlags.hid.flag, values.hid ?? '') : hardwareIdType;
  return { ...base, generator: { layout, epoch: epochMs, hardwareId }, hardwareIdType };
}

function workerIds(machineId: string | undefined, datacenterId: string | undefined): Pick<GeneratorOptions, 'machineId' | 'datacenterId'> {
  const { machineId: machineFlag, datacenterId: datacenterFlag } = genFlags;
  if (machineId === undefined) {
    throw new InvalidOptionError(
      machineFlag.flag,
      `--machine-id is required for the snowflake layout: a worker id from 0 to ${MAX_WORKER_ID} unique to this generator ` +
        `(or 0 to ${MAX_TWITTER_MACHINE_ID} with --datacenter-id)`,
    );
  }
  if (datacenterId === undefined) return { machineId: integerOption(machineFlag.flag, machineId, 0, MAX_WORKER_ID) };
  return {
    datacenterId: integerOption(datacenterFlag.flag, datacenterId, 0, MAX_DATACENTER_ID),
    machineId: integerOption(machineFlag.flag, machineId, 0, MAX_TWITTER_MACHINE_ID),
  };
}

/** `--hid` implies `fixed`, and `fixed` needs `--hid`. */
function resolveHardwareIdType(type: string | undefined, hid: string | undefined): HardwareIdType {
  const { hidType: typeFlag, hid: hidFlag } = genFlags;
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
