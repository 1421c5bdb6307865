import { FlakeryError, InvalidOptionError } from '../errors.js';
import { hardwareIdFromString } from '../options/fixedHardwareId.js';
import type { MachineFacts } from '../machine/hardwareId/hardwareIdProviders.js';
import { show } from '../options/integerOption.js';
import { layoutForGenType } from '../server/genType.js';
import { loadServerConfigFile } from '../server/loadServerConfigFile.js';
import type { ServerConfig, ServerSettings, Setting } from '../server/ServerConfig.js';
import { resolveServerConfig } from '../server/resolveServerConfig.js';
import { goInteger } from './goInteger.js';
import { overtFlakeSettings } from './overtFlakeSettings.js';
import type { FlagSpecs, ParsedArgs } from './parseArgs.js';

/** overt-flake's listen address: every interface. */
export const OFSRVR_DEFAULT_LISTEN = '0.0.0.0:4444';

/**
 * overt-flake's `ofsrvr` flags, single dash as Go's flag package spells them (a double dash
 * works too, as it does in Go). The meanings are overt-flake's; -machineid and -datacenterid
 * are for `-gentype twitter`.
 */
export const ofsrvrFlags = {
  ip: { flag: '-ip', aliases: ['--ip'], value: 'ADDR', accepts: 'host:port', description: '' },
  hidtype: { flag: '-hidtype', aliases: ['--hidtype'], value: 'TYPE', accepts: 'mac, simple, fixed or host', description: '' },
  gentype: { flag: '-gentype', aliases: ['--gentype'], value: 'TYPE', accepts: 'default, of53 or twitter', description: '' },
  epoch: { flag: '-epoch', aliases: ['--epoch'], value: 'MS', accepts: 'milliseconds since the Unix epoch', description: '' },
  waitfor: { flag: '-waitfor', aliases: ['--waitfor'], value: 'MS', accepts: 'milliseconds since the Unix epoch', description: '' },
  auth: { flag: '-auth', aliases: ['--auth'], value: 'TOKEN', accepts: 'a token of at most 255 bytes', description: '' },
  config: { flag: '-config', aliases: ['--config'], value: 'FILE', accepts: 'a path to a YAML config file', description: '' },
  hid: { flag: '-hid', aliases: ['--hid'], value: 'STRING', accepts: 'a string of at least 6 bytes', description: '' },
  machineid: { flag: '-machineid', aliases: ['--machineid'], value: 'N', accepts: 'an integer', description: '' },
  datacenterid: { flag: '-datacenterid', aliases: ['--datacenterid'], value: 'N', accepts: 'an integer', description: '' },
} as const satisfies FlagSpecs;

export const ofsrvrUsage = `Usage: ofsrvr [options]
Options:
    -ip              specify the network interface/address to listen on                 default=${OFSRVR_DEFAULT_LISTEN}
    -hidtype         specify the type of the hardware ID provider                       default=mac
    -gentype         specify the type of generator used to generate IDs                 default=default
    -epoch           specify the epoch in milliseconds elapsed since Unix Epoch         default=1483228800000
    -waitfor         specify a time at which id generation may start, but not before    default=0
    -auth            specify the sequence of characters that make up the auth token     default=""
    -config          specify a path to a configuration file                             default=""
    -hid             specify a hardware id to use when -hidtype == "fixed"               default=""
    -machineid       the machine (worker) id, for -gentype twitter                       default=0, 0-1023
    -datacenterid    the datacenter id, for -gentype twitter                              default=0, 0-31

Notes:
* arguments specified on the command-line override values specified in -config file
* waitfor *must* be specified on the command line
* -epoch applies to -gentype default only: of53 always uses 1483228800000, twitter 1288834974657
* a -config file replaces the defaults: without an epoch key the epoch is 0 (the Unix epoch)
* what overt-flake ignores (unknown keys, -epoch for of53 and twitter, hardware ids for twitter,
  machine ids for default and of53) ofsrvr ignores too, with one warning line each
* -hid takes a string and uses its first 6 bytes as the hardware id (-hid abcdef is 61 62 63 64 65 66)
* a token given with -auth is visible to every user of this machine (ps); the FLAKERY_AUTH_TOKEN
  environment variable or the config file's authToken keep it out of the process list
* without a token, anyone who can reach the address gets IDs

Hid Types:
    simple           simple MAC hardware ID provider
    mac              standard MAC hardware ID provider (default)
    fixed            specifies that a fixed hardware id is used (see -hid)
    host             MACs + hostname + machine id + boot id: use in containers, which often run
                     as pid 1 with a MAC derived from their IP, and could share MAC and pid

Generator Types:
    default          the standard overt-flake ID generator (128 bits, 65,536 IDs/ms)
    of53             overt-flake IDs whose upper 64 bits fit in 53 bits (4,096 IDs/ms)
    twitter          64-bit Twitter Snowflake IDs; worker id = -datacenterid << 5 | -machineid
                     (both default 0: give each server its own, or servers make the same IDs)

Common Options:
    -help, --help    Show this message
    -v, --version    Show version`;

/**
 * ofsrvr's flags, environment and -config file, mapped onto the same ServerSettings as
 * `flakery serve` and validated once, with overt-flake's meanings (see overtFlakeSettings and
 * docs/ofsrvr.md): flags override the file; an empty flag value changes nothing; a negative
 * `-epoch` means unset; `-hid` needs the hardware id type `fixed` (from -hidtype or the file).
 * What overt-flake ignores (unknown keys, -epoch for twitter and of53, …) is ignored with one
 * `warn` line each. The token comes from -auth, FLAKERY_AUTH_TOKEN, or the file's authToken, in
 * that order.
 */
export function resolveOfsrvrConfig(
  { values, positionals }: ParsedArgs<typeof ofsrvrFlags>,
  env: Readonly<Record<string, string | undefined>>,
  machine?: MachineFacts,
  warn: (line: string) => void = () => {},
): ServerConfig {
  if (positionals.length > 0) {
    throw new FlakeryError('ERR_USAGE', `ofsrvr takes only options; got ${show(positionals[0])}`);
  }
  const file = values.config
    ? {
        path: values.config,
        settings: loadServerConfigFile(values.config, {
          onUnknownKey: (key) => warn(`${values.config}: unknown key ${show(key)} is ignored, as overt-flake ignores it`),
        }),
      }
    : undefined;
  const flag = (key: keyof typeof ofsrvrFlags): Setting<string> | undefined => {
    const value = values[key];
    if (typeof value !== 'string' || value === '') return undefined;
    // Go's flag.Int64Var reads 010 as 8 and 0x20 as 32: the same number here.
    return { value: INTEGER_FLAGS.includes(key) ? (goInteger(value) ?? value) : value, from: ofsrvrFlags[key].flag };
  };
  const gentype = flag('gentype');
  const hid = flag('hid');
  const envToken = env.FLAKERY_AUTH_TOKEN ? { value: env.FLAKERY_AUTH_TOKEN, from: 'FLAKERY_AUTH_TOKEN' } : undefined;
  const flags: ServerSettings = {
    listen: flag('ip'),
    hidType: flag('hidtype'),
    layout: gentype && { value: layoutForGenType(gentype.from, gentype.value), from: gentype.from },
    epoch: negativeUnset(flag('epoch'), 'a negative epoch as unset', warn),
    waitFor: negativeUnset(flag('waitfor'), 'a time before 1970 as no wait', warn),
    authToken: flag('auth') ?? envToken,
    hardwareId: hid && { value: hardwareIdFromString(hid.from, hid.value), from: hid.from },
    machineId: flag('machineid'),
    datacenterId: flag('datacenterid'),
  };
  const hidType = flags.hidType ?? file?.settings.hidType;
  if (hid !== undefined && String(hidType?.value ?? 'mac').toLowerCase() !== 'fixed') {
    throw new InvalidOptionError(hid.from, `${hid.from} (a fixed hardware id) requires -hidtype fixed`);
  }
  const merged = overtFlakeSettings(file, definedOnly(flags), warn);
  return resolveServerConfig(
    { listen: { value: OFSRVR_DEFAULT_LISTEN, from: ofsrvrFlags.ip.flag }, ...definedOnly(merged) },
    {
      names: { machineId: ofsrvrFlags.machineid.flag, epoch: ofsrvrFlags.epoch.flag, hardwareId: ofsrvrFlags.hid.flag },
      ...(machine && { machine }),
    },
  );
}

/** The flags Go reads with flag.Int64Var. */
const INTEGER_FLAGS: readonly (keyof typeof ofsrvrFlags)[] = ['epoch', 'waitfor', 'machineid', 'datacenterid'];

/**
 * overt-flake sets the epoch only `if argEpoch > -1`, and a negative -waitfor holds nothing
 * back: a negative value is unset (-epoch -1, its default, silently).
 */
function negativeUnset(setting: Setting<string> | undefined, readAs: string, warn: (line: string) => void): Setting<string> | undefined {
  if (setting === undefined || !/^\s*-\d+\s*$/.test(setting.value)) return setting;
  if (!(setting.from === ofsrvrFlags.epoch.flag && Number(setting.value) === -1)) {
    warn(`${setting.from} ${setting.value.trim()} is ignored: overt-flake reads ${readAs}`);
  }
  return undefined;
}

function definedOnly(settings: ServerSettings): ServerSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
