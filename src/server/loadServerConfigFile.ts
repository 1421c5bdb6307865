import { parse } from 'yaml';
import { FlakeryError, InvalidOptionError } from '../errors.js';
import { hardwareIdFromString } from '../options/fixedHardwareId.js';
import { show } from '../options/integerOption.js';
import { readConfigText } from '../files/readConfigText.js';
import { layoutForGenType } from './genType.js';
import type { ServerSettings } from './ServerConfig.js';

/** The keys of overt-flake's server config file (its serverConfig.go), and nothing else. */
export const serverConfigKeys = ['ipAddr', 'epoch', 'hidType', 'genType', 'authToken', 'hardwareId', 'machineId', 'dataCenterId'] as const;

/** How a config file is read: by default strictly (`flakery serve`). */
export interface ServerConfigFileOptions {
  /**
   * Called for each key that is not one of {@link serverConfigKeys}, which is then skipped, as
   * overt-flake's yaml.v2 skips it (`ofsrvr`). Without it an unknown key is ERR_CONFIG_FILE.
   */
  readonly onUnknownKey?: (key: string, from: string) => void;
}

/**
 * Reads an overt-flake server config file (YAML) into settings that command-line flags then
 * override:
 *
 * ```yaml
 * ipAddr: 0.0.0.0:4444
 * epoch: 1483228800000
 * hidType: mac          # mac, simple, fixed (or host)
 * genType: default      # default (overt), of53 (overt53), twitter (snowflake)
 * authToken: ""         # empty: no auth
 * hardwareId: abcdef    # with hidType fixed: a string's first 6 bytes, a list of 6 bytes, or !!binary
 * machineId: 1          # genType twitter
 * dataCenterId: 0       # genType twitter
 * ```
 *
 * YAML 1.1 is used, as Go's yaml.v2 reads it. Missing and empty keys are unset (the default
 * applies). An unknown key is an error rather than silently ignored, since it is most often a
 * typo, unless `options.onUnknownKey` takes it. Values are validated later, with the rest, and
 * errors name `path: key`.
 */
export function loadServerConfigFile(path: string, options: ServerConfigFileOptions = {}): ServerSettings {
  const text = readConfigText(path);
  return parseServerConfigFile(text, path, options);
}

/** The parsing half of {@link loadServerConfigFile}. */
export function parseServerConfigFile(text: string, path: string, options: ServerConfigFileOptions = {}): ServerSettings {
  let document: unknown;
  try {
    document = parse(text, { schema: 'yaml-1.1' });
  } catch (error) {
    throw new FlakeryError('ERR_CONFIG_FILE', `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new FlakeryError('ERR_CONFIG_FILE', `${path} must be a mapping of ${serverConfigKeys.join(', ')}`);
  }
  const entries = Object.entries(document as Record<string, unknown>).filter(([, value]) => value !== null && value !== '');
  const settings: { -readonly [K in keyof ServerSettings]: ServerSettings[K] } = {};
  for (const [key, value] of entries) {
    const from = `${path}: ${key}`;
    switch (key) {
      case 'ipAddr':
        settings.listen = { value: scalarText(from, value), from };
        break;
      case 'epoch':
        settings.epoch = { value: scalar(from, value), from };
        break;
      case 'hidType':
        settings.hidType = { value: scalarText(from, value), from };
        break;
      case 'genType':
        settings.layout = { value: layoutForGenType(from, value), from };
        break;
      case 'authToken':
        settings.authToken = { value: scalarText(from, value), from };
        break;
      case 'hardwareId':
        settings.hardwareId = { value: hardwareIdBytes(from, value), from };
        break;
      case 'machineId':
        settings.machineId = { value: scalar(from, value), from };
        break;
      case 'dataCenterId':
        settings.datacenterId = { value: scalar(from, value), from };
        break;
      default:
        if (options.onUnknownKey) {
          options.onUnknownKey(key, from);
          break;
        }
        throw new FlakeryError('ERR_CONFIG_FILE', `${path}: unknown key ${show(key)}; the keys are ${serverConfigKeys.join(', ')}`);
    }
  }
  return settings;
}

function scalar(from: string, value: unknown): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new InvalidOptionError(from, `${from} must be a number or a string`);
}

function scalarText(from: string, value: unknown): string {
  // The message never repeats the value: the key may be the auth token.
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new InvalidOptionError(from, `${from} must be a string`);
}

/** Go's `[]byte` as yaml.v2 reads it: a string's bytes, a list of byte values, or !!binary. */
function hardwareIdBytes(from: string, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value.slice(0, 6);
  if (typeof value === 'string') return hardwareIdFromString(from, value);
  if (Array.isArray(value) && value.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)) {
    return Uint8Array.from(value.slice(0, 6) as number[]);
  }
  throw new InvalidOptionError(from, `${from} must be a string (its first 6 bytes are used), a list of 6 byte values, or !!binary`);
}
