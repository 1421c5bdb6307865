import { InvalidOptionError } from '../errors.js';
import { epochs } from '../layouts/epochs.js';
import { integerOption, show } from '../options/integerOption.js';
import { type ServerSettings, type Setting, mergeSettings } from '../server/ServerConfig.js';

/** An overt-flake config file as read: its path and what it says. */
export interface OvertFlakeFile {
  readonly path: string;
  readonly settings: ServerSettings;
}

/**
 * overt-flake's flags over its config file, with overt-flake's meanings (its main.go,
 * serverConfig.go and flake/ generators), so that what the original accepts starts `ofsrvr` and
 * issues IDs in the same ID space. What it ignores is dropped here, with one `warn` line each:
 * - a config file replaces the defaults: without `epoch:` the epoch is 0 (Unix);
 * - `twitter` always uses the Twitter epoch and `of53` the Overtone epoch, whatever `-epoch` says;
 * - `twitter` has no hardware id (hidType, hardwareId, -hid are ignored); its worker bits are
 *   datacenter id << 5 | machine id, ORed as overt-flake does, each 0 when unset (worker 0 is
 *   kept, with a warning: every server started so makes the same IDs);
 * - the machine and datacenter ids mean nothing to `default` and `of53`;
 * - an empty `hardwareId: []` (what overt-flake saves) is unset, and one with another hidType
 *   than `fixed` is ignored.
 * The result goes through the same checks as `flakery serve`'s settings.
 */
export function overtFlakeSettings(file: OvertFlakeFile | undefined, flags: ServerSettings, warn: (line: string) => void): ServerSettings {
  const unixEpoch: Setting<number> | undefined = file && { value: epochs.unix, from: `${file.path}: epoch` };
  const base: ServerSettings = file ? { ...file.settings, epoch: file.settings.epoch ?? unixEpoch } : {};
  const merged = mergeSettings(base, flags);
  const ignore = (setting: Setting<unknown> | undefined, why: string, quiet = false) => {
    if (setting !== undefined && !quiet) warn(`${describe(setting)} is ignored: ${why}`);
  };
  const fileHardwareId = file?.settings.hardwareId;
  const emptyFileHardwareId = fileHardwareId !== undefined && fileHardwareId.value.length === 0;
  const layout = merged.layout?.value ?? 'overt';

  if (layout === 'snowflake') {
    ignore(merged.epoch, `overt-flake's twitter generator always uses the twitter epoch (${epochs.twitter})`, merged.epoch === unixEpoch);
    ignore(merged.hidType, 'the twitter generator has no hardware id');
    ignore(merged.hardwareId, 'the twitter generator has no hardware id', emptyFileHardwareId);
    const { epoch: _epoch, hidType: _hidType, hardwareId: _hardwareId, datacenterId: _datacenterId, ...rest } = merged;
    return { ...rest, machineId: twitterWorkerId(merged.machineId, merged.datacenterId, warn) };
  }

  // A file's 0 is Go's zero value (what overt-flake saves), not a choice worth a warning.
  const zero = (setting: Setting<unknown> | undefined, flag: Setting<unknown> | undefined) =>
    setting !== undefined && setting !== flag && Number(setting.value) === 0;
  ignore(merged.machineId, `it is for -gentype twitter, not ${layoutGenType(layout)}`, zero(merged.machineId, flags.machineId));
  ignore(merged.datacenterId, `it is for -gentype twitter, not ${layoutGenType(layout)}`, zero(merged.datacenterId, flags.datacenterId));
  const { machineId: _machineId, datacenterId: _datacenterId, ...rest } = merged;
  const settings: { -readonly [K in keyof ServerSettings]: ServerSettings[K] } = rest;
  if (layout === 'overt53') {
    ignore(merged.epoch, `overt-flake's of53 generator always uses the overtone epoch (${epochs.overtone})`, merged.epoch === unixEpoch);
    delete settings.epoch;
  }
  if (emptyFileHardwareId && merged.hardwareId === fileHardwareId) delete settings.hardwareId;
  const hidType = merged.hidType === undefined ? undefined : String(merged.hidType.value).toLowerCase();
  if (fileHardwareId && !emptyFileHardwareId && hidType !== undefined && hidType !== 'fixed' && flags.hardwareId === undefined) {
    ignore(fileHardwareId, `only hidType fixed reads it; it is ${show(merged.hidType!.value)}`);
    delete settings.hardwareId;
  }
  return settings;
}

/**
 * overt-flake's twitter worker bits: `dataCenterID << 17 | machineID << 12` in the ID, that is
 * worker id = datacenter id << 5 | machine id, unset ones 0. Larger values than 1023 and 31
 * would spill into the time bits there; here they are refused.
 */
function twitterWorkerId(
  machineId: Setting<string | number> | undefined,
  datacenterId: Setting<string | number> | undefined,
  warn: (line: string) => void,
): Setting<number> {
  const machine = machineId ? workerPart(machineId, 1023) : 0;
  const datacenter = datacenterId ? workerPart(datacenterId, 31) : 0;
  const workerId = (datacenter << 5) | machine;
  if (datacenter > 0 && machine > 31) {
    warn(
      `${describe(machineId!)} overlaps the datacenter bits of ${describe(datacenterId!)}: overt-flake ORs them into worker id ` +
        `${workerId}, and so does ofsrvr; with a datacenter id, give machine ids from 0 to 31`,
    );
  }
  if (workerId === 0 && machineId?.from !== '-machineid') {
    warn(
      `worker id 0 (${machineId ? `${machineId.from} 0` : 'no -machineid given'}, as overt-flake defaults): every server started ` +
        'so has worker id 0 and can make the same IDs as the others; give each server its own -machineid (0 to 1023)',
    );
  }
  return { value: workerId, from: machineId?.from ?? datacenterId?.from ?? '-machineid' };
}

function workerPart(setting: Setting<string | number>, max: number): number {
  try {
    return integerOption(setting.from, setting.value, 0, max);
  } catch {
    throw new InvalidOptionError(
      setting.from,
      `${setting.from} must be an integer from 0 to ${max}; got ${show(setting.value)} (overt-flake would write it over other bits of the ID)`,
    );
  }
}

/** `-epoch 5`, `cfg.yml: epoch 5`; a hardware id by name only. */
function describe(setting: Setting<unknown>): string {
  return typeof setting.value === 'string' || typeof setting.value === 'number' ? `${setting.from} ${setting.value}` : setting.from;
}

function layoutGenType(layout: string): string {
  return layout === 'overt53' ? '-gentype of53' : layout === 'overt' ? '-gentype default' : layout;
}
