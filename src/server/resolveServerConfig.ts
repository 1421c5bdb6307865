import { InvalidOptionError, TimeRangeError } from '../errors.js';
import { Generator } from '../generator/Generator.js';
import type { GeneratorConfig } from '../generator/GeneratorConfig.js';
import { HARDWARE_ID_BYTES } from '../layouts/OvertNode.js';
import { type LayoutName, isLayoutName, layoutNames, layouts } from '../layouts/registry.js';
import { type HardwareIdType, type MachineFacts, hardwareIdTypes, localMachine } from '../machine/hardwareId/hardwareIdProviders.js';
import { nodeGeneratorPlatform } from '../machine/nodeGeneratorPlatform.js';
import type { GeneratorOptions } from '../options/GeneratorOptions.js';
import { integerOption, show } from '../options/integerOption.js';
import { resolveLayoutEpoch } from '../options/resolveEpoch.js';
import { resolveGeneratorConfig } from '../options/resolveGeneratorConfig.js';
import { snowflakeWorkerId } from '../options/snowflakeWorkerId.js';
import { MAX_AUTH_TOKEN_BYTES, authTokenBytes } from '../net/authToken.js';
import { MAX_WIRE_COUNT } from '../protocol/constants.js';
import { parseHostPort } from '../net/hostPort.js';
import { PLACEHOLDER_WORKER_ID_NODE } from './placeholderWorkerId.js';
import { type ServerConfig, type ServerSettings, type Setting, serverDefaults } from './ServerConfig.js';

const MAX_UNIX_MS = 253402300799999; // 9999-12-31
const MAX_TIMER_MS = 2_147_483_647;

export interface ResolveServerConfigOptions {
  /** How the front end spells each setting, for errors about one that is missing. */
  readonly names?: Partial<Record<keyof ServerSettings, string>>;
  /** MACs and host facts for the hardware id; tests inject their own. */
  readonly machine?: MachineFacts;
}

/**
 * Validates merged settings into a ServerConfig, once. Every error is an InvalidOptionError
 * whose `option` and message name the setting as the user gave it (`-machineid`, `--max-count`,
 * `server.yml: epoch`) and the allowed values; no message contains the auth token.
 */
export function resolveServerConfig(settings: ServerSettings, options: ResolveServerConfigOptions = {}): ServerConfig {
  const names = options.names ?? {};
  const listenSetting = settings.listen ?? { value: serverDefaults.listen, from: names.listen ?? 'listen' };
  const listen = parseHostPort(listenSetting.from, listenSetting.value, { allowAnyPort: true, defaultHost: '0.0.0.0' });
  const layout = resolveLayoutName(settings.layout);
  const generator: GeneratorOptions & { -readonly [K in keyof GeneratorOptions]: GeneratorOptions[K] } = { layout };
  if (settings.epoch) generator.epoch = resolveLayoutEpoch(settings.epoch.from, layouts[layout], settings.epoch.value);
  if (settings.waitFor) generator.waitFor = integerOption(settings.waitFor.from, settings.waitFor.value, 0, MAX_UNIX_MS);

  let hardwareIdType: HardwareIdType | undefined;
  let workerId: ServerConfig['workerId'];
  // The layout's node kind decides which settings name the node: a worker id, or a hardware id.
  if (layouts[layout].nodeKind?.kind === 'worker') {
    rejectFor(layout, settings.hidType, settings.hardwareId);
    if (settings.workerIdFrom) {
      rejectWith(settings.workerIdFrom, settings.machineId, settings.datacenterId);
      // The lease decides the id at start; until then the generator config holds a placeholder.
      generator.machineId = 0;
      workerId = { source: 'spec', spec: settings.workerIdFrom.value, from: settings.workerIdFrom.from };
    } else {
      Object.assign(generator, snowflakeIds(settings, names.machineId ?? 'machineId'));
      workerId = { source: 'config' };
    }
  } else {
    rejectFor(
      layout,
      settings.machineId,
      settings.datacenterId,
      settings.workerIdFrom,
      settings.workerIdKeyPrefix,
      settings.workerIdTtl,
      settings.workerIdRedisPassword,
    );
    hardwareIdType = resolveHidType(settings, names.hardwareId ?? 'a hardware id');
    generator.hardwareId = hardwareIdType === 'fixed' ? settings.hardwareId!.value : hardwareIdType;
  }

  const resolved = resolveGeneratorConfig(generator, nodeGeneratorPlatform(options.machine ?? localMachine));
  // Marked, so that nothing serves it (NodeGuards refuses to make a generator with it).
  const generatorConfig = workerId?.source === 'spec' ? { ...resolved, node: PLACEHOLDER_WORKER_ID_NODE } : resolved;
  checkEpochFitsNow(generatorConfig, settings.epoch?.from ?? names.epoch ?? 'epoch');
  return {
    listen,
    layout,
    generator: generatorConfig,
    hardwareIdType,
    authToken: settings.authToken && authTokenBytes(settings.authToken.value, settings.authToken.from, MAX_AUTH_TOKEN_BYTES.tcp),
    maxCount: integer(settings.maxCount, 'maxCount', serverDefaults.maxCount, 1, MAX_WIRE_COUNT),
    maxConnections: integer(settings.maxConnections, 'maxConnections', serverDefaults.maxConnections, 1, 1_000_000),
    maxConnectionsFrom: settings.maxConnections?.from,
    idleTimeoutMs: duration(settings.idleTimeout, serverDefaults.idleTimeoutMs),
    authTimeoutMs: duration(settings.authTimeout, serverDefaults.authTimeoutMs),
    maxClockWaitMs: duration(settings.maxClockWait, serverDefaults.maxClockWaitMs, 60_000),
    stateFile: resolveStateFile(settings.stateFile),
    maxStartWaitMs: duration(settings.maxStartWait, serverDefaults.maxStartWaitMs),
    workerId,
    workerIdLease: {
      keyPrefix: resolveKeyPrefix(settings.workerIdKeyPrefix),
      ttlMs: duration(settings.workerIdTtl, serverDefaults.workerIdTtlMs, 3_600_000, 300),
      ...redisPassword(settings),
    },
    settingWarnings: Object.values(settings).flatMap((setting: Setting<unknown> | undefined) => (setting?.warning === undefined ? [] : [setting.warning])),
  };
}

/** The Redis password given apart from the URL; it only means something for a redis:// lease. */
function redisPassword(settings: ServerSettings): { password?: string } {
  const setting = settings.workerIdRedisPassword;
  if (setting === undefined) return {};
  const spec = settings.workerIdFrom?.value;
  if (typeof spec !== 'string' || !/^rediss?:\/\//.test(spec)) {
    throw new InvalidOptionError(setting.from, `${setting.from} applies only to --worker-id-from redis://host:port/db`);
  }
  if (typeof setting.value !== 'string') throw new InvalidOptionError(setting.from, `${setting.from} must be a string`);
  return { password: setting.value };
}

function resolveStateFile(setting: Setting<string> | undefined): string | undefined {
  if (setting === undefined) return undefined;
  if (typeof setting.value !== 'string' || setting.value.trim() === '') {
    throw new InvalidOptionError(setting.from, `${setting.from} must be a file path`);
  }
  return setting.value;
}

function resolveKeyPrefix(setting: Setting<string> | undefined): string {
  if (setting === undefined) return serverDefaults.workerIdKeyPrefix;
  if (typeof setting.value !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(setting.value)) {
    throw new InvalidOptionError(setting.from, `${setting.from} must be 1 to 100 printable characters without spaces; got ${show(setting.value)}`);
  }
  return setting.value;
}

/** Settings that contradict `by` (a worker id from a lease and one from config). */
function rejectWith(by: Setting<unknown>, ...settings: (Setting<unknown> | undefined)[]): void {
  for (const setting of settings) {
    if (setting !== undefined) throw new InvalidOptionError(setting.from, `${setting.from} cannot be combined with ${by.from}: the worker id comes from one place`);
  }
}

/**
 * An epoch after now, or so long ago that now overflows the layout's time bits, would fail
 * every request; say so at start-up, naming the epoch (also the layout's default one).
 */
function checkEpochFitsNow(config: GeneratorConfig<unknown>, epochName: string): void {
  try {
    new Generator(config).msUntilReady();
  } catch (error) {
    if (error instanceof TimeRangeError) throw new InvalidOptionError(epochName, `${epochName} ${config.epochMs}: ${error.message}`);
    throw error;
  }
}

function resolveLayoutName(setting: Setting<string> | undefined): LayoutName {
  if (setting === undefined) return 'overt';
  if (typeof setting.value === 'string' && isLayoutName(setting.value)) return setting.value;
  throw new InvalidOptionError(setting.from, `${setting.from} must be one of ${layoutNames.join(', ')}; got ${show(setting.value)}`);
}

function resolveHidType(settings: ServerSettings, hardwareIdName: string): HardwareIdType {
  const setting = settings.hidType;
  const type = setting === undefined ? (settings.hardwareId ? 'fixed' : 'mac') : String(setting.value).toLowerCase();
  if (!(hardwareIdTypes as readonly string[]).includes(type)) {
    throw new InvalidOptionError(setting!.from, `${setting!.from} must be one of ${hardwareIdTypes.join(', ')}; got ${show(setting!.value)}`);
  }
  if (type === 'fixed' && settings.hardwareId === undefined) {
    throw new InvalidOptionError(setting!.from, `${setting!.from} fixed needs ${hardwareIdName} (${HARDWARE_ID_BYTES} bytes) to go with it`);
  }
  if (type !== 'fixed' && settings.hardwareId !== undefined) {
    const { from } = settings.hardwareId;
    throw new InvalidOptionError(from, `${from} needs the hardware id type "fixed"; it is "${type}"${setting ? ` (${setting.from})` : ''}`);
  }
  if (settings.hardwareId !== undefined && settings.hardwareId.value.length !== HARDWARE_ID_BYTES) {
    const { from, value } = settings.hardwareId;
    throw new InvalidOptionError(from, `${from} must be ${HARDWARE_ID_BYTES} bytes; got ${value.length}`);
  }
  return type as HardwareIdType;
}

function snowflakeIds(settings: ServerSettings, machineIdName: string): Pick<GeneratorOptions, 'machineId' | 'datacenterId'> {
  const named = (setting: Setting<unknown> | undefined) => setting && { value: setting.value, name: setting.from };
  const ids = snowflakeWorkerId(named(settings.machineId), named(settings.datacenterId), {
    machineId: settings.machineId?.from ?? machineIdName,
    datacenterId: settings.datacenterId?.from ?? 'a datacenter id',
  });
  return ids.datacenterId === undefined ? { machineId: ids.machineId } : { machineId: ids.machineId, datacenterId: ids.datacenterId };
}

/** Settings that have no meaning for `layout` are an error, not silently ignored. */
function rejectFor(layout: LayoutName, ...settings: (Setting<unknown> | undefined)[]): void {
  for (const setting of settings) {
    if (setting !== undefined) throw new InvalidOptionError(setting.from, `${setting.from} does not apply to the ${layout} layout`);
  }
}

function integer(setting: Setting<string | number> | undefined, name: string, fallback: number, min: number, max: number): number {
  return setting === undefined ? fallback : integerOption(setting.from || name, setting.value, min, max);
}

/** Milliseconds: an integer, or with a unit: `250ms`, `30s`, `5m`. */
function duration(setting: Setting<string | number> | undefined, fallback: number, max = MAX_TIMER_MS, min = 0): number {
  if (setting === undefined) return fallback;
  const { value, from } = setting;
  const match = typeof value === 'string' ? /^\s*(\d+)\s*(ms|s|m)?\s*$/.exec(value) : null;
  const ms =
    typeof value === 'number' ? value : match ? Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[(match[2] ?? 'ms') as 'ms'] : NaN;
  if (!Number.isSafeInteger(ms) || ms < min || ms > max) {
    throw new InvalidOptionError(from, `${from} must be a duration from ${min} to ${max} ms (e.g. 500, 250ms, 30s, 5m); got ${show(value)}`);
  }
  return ms;
}
