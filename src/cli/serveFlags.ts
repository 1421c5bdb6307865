import { InvalidOptionError } from '../errors.js';
import { hardwareIdFromHex } from '../options/fixedHardwareId.js';
import type { MachineFacts } from '../machine/hardwareId/hardwareIdProviders.js';
import { MAX_TOKEN_LENGTH, MAX_WIRE_COUNT } from '../protocol/constants.js';
import { type ServerConfig, type ServerSettings, type Setting, mergeSettings, serverDefaults } from '../server/ServerConfig.js';
import { resolveServerConfig } from '../server/resolveServerConfig.js';
import { layoutFlags } from './layoutFlags.js';
import { nodeFlags } from './nodeFlags.js';
import { readSecretFile } from './readSecretFile.js';
import { secretFileExposure } from './secretFileExposure.js';
import type { FlagSpecs } from './parseArgs.js';
import type { ServeSources } from './serveSources.js';

/** The environment variable `flakery serve` reads the auth token from. */
export const AUTH_TOKEN_ENV = 'FLAKERY_AUTH_TOKEN';

/** The environment variable `flakery serve` reads the Redis password for worker-id leases from. */
export const REDIS_PASSWORD_ENV = 'FLAKERY_REDIS_PASSWORD';

export const serveFlags = {
  listen: {
    flag: '--listen',
    value: 'HOST:PORT',
    accepts: 'host:port, e.g. 127.0.0.1:4444 (port 0: any free port)',
    description: `where the TCP protocol listens (default ${serverDefaults.listen})`,
  },
  ...layoutFlags,
  ...nodeFlags,
  waitFor: {
    flag: '--wait-for',
    value: 'MS',
    accepts: 'milliseconds since the Unix epoch',
    description: 'issue no ID stamped before this Unix ms (overt-flake -waitfor)',
  },
  authTokenFile: {
    flag: '--auth-token-file',
    value: 'FILE',
    accepts: 'a path to a file holding the token',
    description: `clients must send the token in this file (one trailing newline is ignored), at most ${MAX_TOKEN_LENGTH} bytes`,
  },
  authToken: {
    flag: '--auth-token',
    value: 'TOKEN',
    accepts: `a token of at most ${MAX_TOKEN_LENGTH} bytes`,
    description: `the token itself. WARNING: every user of this machine can read it with ps; prefer --auth-token-file or ${AUTH_TOKEN_ENV}`,
  },
  maxCount: {
    flag: '--max-count',
    value: 'N',
    accepts: `an integer from 1 to ${MAX_WIRE_COUNT}`,
    description: `the most IDs one request may ask for; more closes the connection (default ${serverDefaults.maxCount})`,
  },
  maxConnections: {
    flag: '--max-connections',
    value: 'N',
    accepts: 'an integer from 1 to 1000000',
    description: `open connections at most, per listener; more are closed at once (default ${serverDefaults.maxConnections}, lowered to fit the open-file limit)`,
  },
  idleTimeout: {
    flag: '--idle-timeout',
    value: 'DURATION',
    accepts: 'a duration: 500, 250ms, 30s, 5m; 0 for never',
    description: `close a connection without traffic for this long; 0: never (default ${serverDefaults.idleTimeoutMs / 1000}s)`,
  },
  authTimeout: {
    flag: '--auth-timeout',
    value: 'DURATION',
    accepts: 'a duration: 500, 250ms, 30s, 5m; 0 for no limit',
    description: `with a token: a TCP client must authenticate, an HTTP connection make an authenticated request, within this long (default ${serverDefaults.authTimeoutMs / 1000}s)`,
  },
  maxClockWait: {
    flag: '--max-clock-wait',
    value: 'DURATION',
    accepts: 'a duration up to 60s',
    description: `wait out a clock that stepped back by up to this; further, refuse (default ${serverDefaults.maxClockWaitMs}ms)`,
  },
  stateFile: {
    flag: '--state-file',
    value: 'PATH',
    accepts: 'a file path in a writable directory',
    description:
      'keep a high-water mark here (written ahead of use, fsync\'d): after a crash and a restart with a clock that went back, no ID repeats',
  },
  maxStartWait: {
    flag: '--max-start-wait',
    value: 'DURATION',
    accepts: 'a duration: 500, 250ms, 30s, 5m',
    description: `at start, wait at most this long for the clock to pass the restored mark; further, exit with an error (default ${serverDefaults.maxStartWaitMs / 1000}s)`,
  },
  workerIdFrom: {
    flag: '--worker-id-from',
    value: 'SOURCE',
    accepts: 'env:NAME, hostname-ordinal or redis://host:port/db',
    description:
      'snowflake: take the worker id from an environment variable (PM2: env:NODE_APP_INSTANCE), the trailing -N of the host name (a StatefulSet pod), or a lease in Redis; instead of --machine-id',
  },
  workerIdKeyPrefix: {
    flag: '--worker-id-key-prefix',
    value: 'PREFIX',
    accepts: '1 to 100 printable characters',
    description: `Redis leases: key prefix (default ${serverDefaults.workerIdKeyPrefix})`,
  },
  workerIdTtl: {
    flag: '--worker-id-ttl',
    value: 'DURATION',
    accepts: 'a duration from 300ms to 1h',
    description: `Redis leases: time to live, renewed every third of it; IDs stop before it runs out (default ${serverDefaults.workerIdTtlMs / 1000}s)`,
  },
  redisPasswordFile: {
    flag: '--redis-password-file',
    value: 'FILE',
    accepts: 'a path to a file holding the Redis password',
    description: `Redis leases: the password (AUTH) in this file, one trailing newline ignored; or set ${REDIS_PASSWORD_ENV}. A password in the redis:// URL works too, but every user of this machine can read it with ps`,
  },
  config: {
    flag: '--config',
    value: 'FILE',
    accepts: 'a path to a YAML file of flakery serve keys, or an overt-flake server config',
    description: 'read settings from a YAML file whose keys are these long flags (docs/flakery-serve.example.yaml) or from an overt-flake server config; flags override it',
  },
} as const satisfies FlagSpecs;

/**
 * `flakery serve`'s flags, environment and config file, merged (flags over the file) and
 * validated once into a ServerConfig; a bad value is named as given (`--max-count`,
 * `serve.yaml: max-count`). The auth token comes from, in order: --auth-token or
 * --auth-token-file, FLAKERY_AUTH_TOKEN, the config file's auth-token-file (or overt-flake's
 * authToken). The Redis password for worker-id leases: --redis-password-file, else
 * FLAKERY_REDIS_PASSWORD, else the file's redis-password-file (else the URL's own).
 */
export function resolveServeConfig(
  sources: ServeSources<typeof serveFlags>,
  env: Readonly<Record<string, string | undefined>>,
  machine?: MachineFacts,
): ServerConfig {
  const { values } = sources;
  const flag = <K extends keyof typeof serveFlags>(key: K): Setting<string> | undefined => {
    const setting = values[key];
    return typeof setting?.value === 'string' ? { value: setting.value, from: setting.from } : undefined;
  };
  const hid = flag('hid');
  const flags: ServerSettings = {
    listen: flag('listen'),
    layout: flag('layout'),
    epoch: flag('epoch'),
    machineId: flag('machineId'),
    datacenterId: flag('datacenterId'),
    hidType: flag('hidType'),
    hardwareId: hid && { value: hardwareIdFromHex(hid.from, hid.value), from: hid.from },
    waitFor: flag('waitFor'),
    authToken: tokenSetting(sources, env),
    maxCount: flag('maxCount'),
    maxConnections: flag('maxConnections'),
    idleTimeout: flag('idleTimeout'),
    authTimeout: flag('authTimeout'),
    maxClockWait: flag('maxClockWait'),
    stateFile: flag('stateFile'),
    maxStartWait: flag('maxStartWait'),
    workerIdFrom: flag('workerIdFrom'),
    workerIdKeyPrefix: flag('workerIdKeyPrefix'),
    workerIdTtl: flag('workerIdTtl'),
    workerIdRedisPassword: redisPasswordSetting(sources, env),
  };
  const merged = mergeSettings(sources.overtFlakeFile ?? {}, flags);
  return resolveServerConfig(merged, {
    names: { machineId: serveFlags.machineId.flag, listen: serveFlags.listen.flag, epoch: serveFlags.epoch.flag, hardwareId: serveFlags.hid.flag },
    ...(machine && { machine }),
  });
}

type Sources = ServeSources<typeof serveFlags>;
type Env = Readonly<Record<string, string | undefined>>;

function tokenSetting({ commandLine, file }: Sources, env: Env): Setting<string | Uint8Array> | undefined {
  const { authToken, authTokenFile } = commandLine;
  if (authToken !== undefined && authTokenFile !== undefined) {
    throw new InvalidOptionError(authToken.from, `give ${authToken.from} or ${authTokenFile.from}, not both`);
  }
  if (authToken !== undefined) return authToken;
  if (authTokenFile !== undefined) return secretFrom(authTokenFile, 'remove the flag to run without auth');
  const fromEnv = env[AUTH_TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, from: AUTH_TOKEN_ENV };
  return file.authTokenFile && secretFrom(file.authTokenFile, 'remove the key to run without auth');
}

function redisPasswordSetting({ commandLine, file }: Sources, env: Env): Setting<string> | undefined {
  const decode = (setting: Setting<Uint8Array> | undefined) => setting && { ...setting, value: new TextDecoder().decode(setting.value) };
  if (commandLine.redisPasswordFile !== undefined) {
    return decode(secretFrom(commandLine.redisPasswordFile, `remove ${commandLine.redisPasswordFile.from} if Redis needs no password`));
  }
  const fromEnv = env[REDIS_PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, from: REDIS_PASSWORD_ENV };
  return decode(file.redisPasswordFile && secretFrom(file.redisPasswordFile, 'remove the key if Redis needs no password'));
}

/** The secret in the file a flag or key names, as bytes, named by that flag or key; a warning when others can read the file. */
function secretFrom(path: Setting<string>, ifEmpty: string): Setting<Uint8Array> {
  const value = readSecretFile(path.from, path.value, ifEmpty);
  const warning = secretFileExposure(path.from, path.value);
  return { value, from: path.from, ...(warning === undefined ? {} : { warning }) };
}
