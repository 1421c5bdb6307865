import { FlakeryError } from '../errors.js';
import { show } from '../options/integerOption.js';
import type { ServerSettings } from '../server/ServerConfig.js';
import type { FlagSpecs, ParsedArgs } from './parseArgs.js';
import { type SourcedValues, readServeConfigFile } from './serveConfigFile.js';
import { AUTH_TOKEN_ENV, type serveFlags } from './serveFlags.js';

/** What `flakery serve` was told, before validation: its flags and its `--config` file. */
export interface ServeSources<S extends FlagSpecs> {
  /** The flags given on the command line. */
  readonly commandLine: SourcedValues<S>;
  /** What a config file in the serve format says ({} without one). */
  readonly file: SourcedValues<S>;
  /** The flags over the file: what each setting is and where it came from. */
  readonly values: SourcedValues<S>;
  /** A config file in overt-flake's format, read into settings that the flags override. */
  readonly overtFlakeFile: ServerSettings | undefined;
}

/** Keys that are flags but have no place in a config file, and why. */
const refusedInFile = {
  config: 'a config file cannot name another one',
  authToken:
    `a token does not belong in a config file, which is more often readable by others and copied around; ` +
    `put it in a file only the server can read (chmod 600) and give that as auth-token-file, or set ${AUTH_TOKEN_ENV}`,
} as const;

/**
 * `flakery serve`'s flags and its `--config` file (either format, see readServeConfigFile), each
 * value with where it came from, so that the same checks as for a flag name `FILE: key`.
 */
export function serveSources<S extends typeof serveFlags>({ values, positionals }: ParsedArgs<S>, specs: S): ServeSources<S> {
  if (positionals.length > 0) {
    throw new FlakeryError('ERR_USAGE', `flakery serve takes no arguments, only options; got ${show(positionals[0])}`);
  }
  const commandLine: Record<string, { value: string | true; from: string }> = {};
  const byName: FlagSpecs = specs;
  for (const [name, value] of Object.entries(values as Record<string, string | true | undefined>)) {
    if (value !== undefined) commandLine[name] = { value, from: byName[name]!.flag };
  }
  const config = (values as { config?: string }).config;
  const file = config === undefined ? undefined : readServeConfigFile(config, specs, refusedInFile as Partial<Record<keyof S, string>>);
  const fileValues = file?.format === 'serve' ? file.values : {};
  return {
    commandLine: commandLine as SourcedValues<S>,
    file: fileValues,
    values: { ...fileValues, ...commandLine } as SourcedValues<S>,
    overtFlakeFile: file?.format === 'overt-flake' ? file.settings : undefined,
  };
}
