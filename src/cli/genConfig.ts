import type { ClientOptions } from '../client/IdClient.js';
import { FlakeryError, InvalidOptionError } from '../errors.js';
import { type IdFormat, idFormats } from '../id/IdFormat.js';
import type { Layout } from '../layouts/Layout.js';
import type { HardwareIdType } from '../machine/hardwareId/hardwareIdProviders.js';
import type { GeneratorOptions } from '../options/GeneratorOptions.js';
import { integerOption, show } from '../options/integerOption.js';
import { choiceOption } from './choiceOption.js';
import { layoutFlags, requireUuidLayout, resolveLayoutFlags } from './layoutFlags.js';
import { nodeFlags, resolveNodeFlags } from './nodeFlags.js';
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
  ...nodeFlags,
  format: {
    flag: '--format',
    value: 'FORMAT',
    accepts: `one of ${idFormats.join(', ')}`,
    description: 'decimal (default; uuid for uuidv7), hex, or uuid (overt, overt53, uuidv7)',
  },
  server: {
    flag: '--server',
    value: 'HOST:PORT[,HOST:PORT]',
    accepts: 'host:port, or several separated by commas (tried in order)',
    description: 'fetch the IDs from these ID servers, tried in order, instead of making them; --layout and --epoch name theirs',
  },
  authTokenFile: {
    flag: '--auth-token-file',
    value: 'FILE',
    accepts: 'a path to a file holding the token',
    description: "with --server: the servers' auth token, read from FILE",
  },
  tls: {
    flag: '--tls',
    description: "with --server: connect with TLS, trusting the system's CAs",
  },
  ca: {
    flag: '--ca',
    value: 'FILE[,FILE]',
    accepts: 'a path to a PEM CA certificate file, or several separated by commas',
    description: "with --server: connect with TLS, trusting these PEM CA certificates instead of the system's",
  },
} as const satisfies FlagSpecs;

/** `flakery gen`'s command line, validated. */
export interface GenConfig {
  readonly count: number;
  readonly format: IdFormat;
  readonly layout: Layout<unknown>;
  /** For `createGenerator`; every value in it is already checked. */
  readonly generator: GeneratorOptions;
  /** overt, overt53 and uuidv7 only. */
  readonly hardwareIdType?: HardwareIdType;
  /** With --server: the IDs come from these servers, and `generator` is unused. */
  readonly server?: ClientOptions;
}

/**
 * Checks every flag of `flakery gen` once, naming the flag as the user wrote it and its
 * allowed values, so the library's checks behind it never see a bad value. Async because the
 * client's modules load only for --server: a local `flakery gen` never loads them.
 */
export async function resolveGenConfig({ values, positionals }: ParsedArgs<typeof genFlags>): Promise<GenConfig> {
  if (positionals.length > 0) {
    throw new FlakeryError('ERR_USAGE', `flakery gen takes no arguments, only options; got ${show(positionals[0])}`);
  }
  const count = values.count === undefined ? 1 : integerOption(genFlags.count.flag, values.count, 1, MAX_COUNT);
  const { layout, epochMs } = resolveLayoutFlags(values);
  const format = choiceOption(genFlags.format.flag, values.format ?? layout.defaultFormat ?? 'decimal', idFormats);
  if (format === 'uuid') requireUuidLayout(genFlags.format.flag, layout);
  if (values.server !== undefined) {
    return { count, format, layout, generator: { layout }, server: await resolveServerFlags(values, layout, epochMs) };
  }
  for (const key of ['authTokenFile', 'tls', 'ca'] as const) {
    const flag = genFlags[key].flag;
    if (values[key] !== undefined) throw new InvalidOptionError(flag, `${flag} goes with --server: it says how to reach the ID servers`);
  }
  const node = resolveNodeFlags(layout, values);
  return {
    count,
    format,
    layout,
    generator: { layout, epoch: epochMs, ...node.options },
    hardwareIdType: node.hardwareIdType,
  };
}

/**
 * With --server the servers' settings make the IDs: flags that set up a local generator are
 * errors. --layout and --epoch name the servers', to read the IDs' size and check their time.
 * The client code is loaded only here, so a local `gen` starts without it.
 */
async function resolveServerFlags(values: ParsedArgs<typeof genFlags>['values'], layout: Layout<unknown>, epochMs: number): Promise<ClientOptions> {
  for (const key of ['machineId', 'datacenterId', 'hidType', 'hid'] as const) {
    const flag = genFlags[key].flag;
    if (values[key] !== undefined) throw new InvalidOptionError(flag, `${flag} does not apply with --server: the server's settings make the IDs`);
  }
  const { genClientOptions } = await import('./genFromServer.js');
  return genClientOptions({ servers: values.server!, layout, epochMs, authTokenFile: values.authTokenFile, tls: values.tls, ca: values.ca });
}
