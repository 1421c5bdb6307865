import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { FlakeryError, InvalidOptionError } from '../errors.js';
import { show } from '../options/integerOption.js';
import { readConfigText } from '../files/readConfigText.js';
import { parseServerConfigFile, serverConfigKeys } from '../server/loadServerConfigFile.js';
import type { ServerSettings, Setting } from '../server/ServerConfig.js';
import { nearestName } from './nearestName.js';
import type { FlagSpec, FlagSpecs, FlagValues } from './parseArgs.js';

/** Flag values with where each came from: `--max-count`, or `serve.yaml: max-count`. */
export type SourcedValues<S extends FlagSpecs> = { readonly [K in keyof S]?: Setting<NonNullable<FlagValues<S>[K]>> };

/** A `flakery serve --config` file, in whichever of its two formats it is written. */
export type ServeConfigFile<S extends FlagSpecs> =
  | { readonly format: 'serve'; readonly values: SourcedValues<S> }
  | { readonly format: 'overt-flake'; readonly settings: ServerSettings };

/** Where the serve format is documented, key by key, for error messages. */
export const SERVE_CONFIG_EXAMPLE = 'docs/flakery-serve.example.yaml';

/** A flag's key in the serve format: its long name as typed on the command line, without `--`. */
export function serveConfigKey(spec: FlagSpec): string {
  return spec.flag.replace(/^--/, '');
}

/** Placeholders of flags whose value is a path: in a file, relative to the file's directory. */
const PATH_PLACEHOLDERS: readonly string[] = ['FILE', 'PATH'];

/**
 * Reads a `flakery serve --config` file (YAML). Two formats, told apart by their keys:
 * - **serve**: the keys are the long flags of `specs` (`listen`, `http`, `machine-id`,
 *   `state-file`, …), each value the text the flag would take (read as text, so `hid: 024211000200`
 *   keeps its zeros); a switch takes `true` or `false`; an empty value is unset; relative paths
 *   are relative to the file's directory. `refused` names keys that are flags but may not be in
 *   the file, with why.
 * - **overt-flake**: a file with any of overt-flake's own keys (`ipAddr`, `hidType`, `genType`,
 *   `authToken`, `hardwareId`, `machineId`, `dataCenterId`) is read as overt-flake reads it.
 * `epoch`, the one key both share, means the same in both. A file with keys only one of the
 * formats has from both is refused, never guessed at. Unknown keys are ERR_CONFIG_FILE naming
 * the key, the file and the nearest known key.
 */
export function readServeConfigFile<S extends FlagSpecs>(path: string, specs: S, refused: Partial<Record<keyof S, string>>): ServeConfigFile<S> {
  const text = readConfigText(path);
  let document: unknown;
  try {
    document = parse(text, { schema: 'failsafe' });
  } catch (error) {
    throw new FlakeryError('ERR_CONFIG_FILE', `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (document === null || document === undefined) return { format: 'serve', values: {} };
  if (typeof document !== 'object' || Array.isArray(document) || document instanceof Uint8Array) {
    throw new FlakeryError('ERR_CONFIG_FILE', `${path} must be a mapping of keys to values, like ${SERVE_CONFIG_EXAMPLE}`);
  }
  const keys = Object.keys(document);
  const serveKeys = Object.values(specs).map(serveConfigKey);
  const overtFlakeKeys: readonly string[] = serverConfigKeys;
  const overtFlakeOnly = keys.filter((key) => overtFlakeKeys.includes(key) && !serveKeys.includes(key));
  if (overtFlakeOnly.length === 0) return { format: 'serve', values: serveValues(document as Record<string, unknown>, path, specs, refused) };
  const serveOnly = keys.filter((key) => serveKeys.includes(key) && !overtFlakeKeys.includes(key));
  if (serveOnly.length > 0) {
    throw new FlakeryError(
      'ERR_CONFIG_FILE',
      `${path} mixes overt-flake's keys (${overtFlakeOnly.join(', ')}) with flakery serve's (${serveOnly.join(', ')}); ` +
        `write it in one format: flakery serve's keys are its long flags (${SERVE_CONFIG_EXAMPLE})`,
    );
  }
  return { format: 'overt-flake', settings: parseServerConfigFile(text, path) };
}

function serveValues<S extends FlagSpecs>(document: Record<string, unknown>, path: string, specs: S, refused: Partial<Record<keyof S, string>>): SourcedValues<S> {
  const nameOf = new Map(Object.entries(specs).map(([name, spec]) => [serveConfigKey(spec), name]));
  const values: Record<string, Setting<string | true>> = {};
  for (const [key, raw] of Object.entries(document)) {
    const from = `${path}: ${key}`;
    const name = nameOf.get(key);
    if (name === undefined) throw unknownKey(key, path, [...nameOf.keys()]);
    const why = refused[name];
    if (why !== undefined) throw new FlakeryError('ERR_CONFIG_FILE', `${from}: ${why}`);
    const spec = specs[name]!;
    // The message never repeats the value: it may be a secret's path or worse.
    if (typeof raw !== 'string') throw new InvalidOptionError(from, `${from} must be one value, as its flag takes: ${accepts(spec)}`);
    if (raw === '') continue;
    if (spec.value === undefined) {
      if (raw !== 'true' && raw !== 'false') throw new InvalidOptionError(from, `${from} must be true or false; got ${show(raw)}`);
      if (raw === 'true') values[name] = { value: true, from };
      continue;
    }
    values[name] = { value: PATH_PLACEHOLDERS.includes(spec.value) ? resolve(dirname(path), raw) : raw, from };
  }
  return values as SourcedValues<S>;
}

function accepts(spec: FlagSpec): string {
  return spec.value === undefined ? 'true or false' : (spec.accepts ?? spec.value);
}

function unknownKey(key: string, path: string, serveKeys: readonly string[]): FlakeryError {
  const near = nearestName(key, serveKeys);
  const hint = near === undefined ? `the keys are flakery serve's long flags without the --, as flakery serve --help lists them` : `did you mean ${show(near)}?`;
  return new FlakeryError('ERR_CONFIG_FILE', `${path}: unknown key ${show(key)}; ${hint} (every key: ${SERVE_CONFIG_EXAMPLE})`);
}
