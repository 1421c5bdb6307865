import { systemClock } from '../clock/Clock.js';
import { InvalidOptionError } from '../errors.js';
import type { GeneratorConfig } from '../generator/GeneratorConfig.js';
import type { Layout } from '../layouts/Layout.js';
import type { HardwareProcessNodeKind } from '../layouts/NodeKind.js';
import { HARDWARE_ID_BYTES, type OvertNode } from '../layouts/OvertNode.js';
import type { SnowflakeNode } from '../layouts/SnowflakeLayout.js';
import { hardwareIdFromHex } from './fixedHardwareId.js';
import { type GeneratorOptions, generatorOptionNames } from './GeneratorOptions.js';
import { type GeneratorPlatform, type HardwareIdProviders, hardwareIdProviderNames } from './HardwareIdProviders.js';
import { integerOption, show } from './integerOption.js';
import { rejectUnknownKeys } from './knownOptions.js';
import { resolveLayoutEpoch } from './resolveEpoch.js';
import { resolveLayout } from './resolveLayout.js';
import { snowflakeWorkerId } from './snowflakeWorkerId.js';

/** The latest Unix ms a `waitFor` may name: 9999-12-31. */
const MAX_UNIX_MS = 253402300799999;

/**
 * Validates user options once, into the configuration the generator trusts. Named hardware ids
 * (`mac`, `simple`, `host`) come from `platform.hardwareIds` and the default process id from
 * `platform.processId`: the Node entry passes its own (`nodeGeneratorPlatform()`), the core
 * none; required, so no caller forgets which it is.
 */
export function resolveGeneratorConfig(options: GeneratorOptions, platform: GeneratorPlatform): GeneratorConfig<unknown> {
  rejectUnknownKeys(options, generatorOptionNames, 'generator');
  const layout = resolveLayout('layout', options.layout ?? 'overt');
  const epochMs = resolveLayoutEpoch('epoch', layout, options.epoch);
  const waitFor = options.waitFor === undefined ? 0 : integerOption('waitFor', options.waitFor, 0, MAX_UNIX_MS);
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function') throw new InvalidOptionError('clock', 'clock must have a now() method returning Unix ms');
  return {
    layout,
    node: resolveNode(layout, options, platform),
    epochMs,
    clock,
    notBeforeUnixMs: waitFor,
    gates: options.gates ?? [],
  };
}

function resolveNode(layout: Layout<unknown>, options: GeneratorOptions, platform: GeneratorPlatform): unknown {
  const forbid = (names: (keyof GeneratorOptions)[]) => {
    for (const name of names) {
      if (options[name] !== undefined) {
        throw new InvalidOptionError(name, `${name} does not apply to the ${layout.name} layout`);
      }
    }
  };
  const kind = layout.nodeKind;
  switch (kind?.kind) {
    case 'worker':
      forbid(['hardwareId', 'processId', 'node']);
      return snowflakeNode(options);
    case 'hardware+process':
      forbid(['machineId', 'datacenterId', 'node']);
      return overtNode(options, platform, kind);
    case undefined:
      forbid(['machineId', 'datacenterId', 'hardwareId', 'processId']);
      if (options.node === undefined) throw new InvalidOptionError('node', `the custom layout ${layout.name} needs a node option`);
      return options.node;
  }
}

function snowflakeNode(options: GeneratorOptions): SnowflakeNode {
  const named = (name: 'machineId' | 'datacenterId') => (options[name] === undefined ? undefined : { value: options[name], name });
  const { workerId } = snowflakeWorkerId(named('machineId'), named('datacenterId'), { machineId: 'machineId', datacenterId: 'a datacenterId' });
  return { workerId };
}

/** A hardware id and a process id, the pid stored modulo the layout's `processIdModulus`. */
function overtNode(options: GeneratorOptions, platform: GeneratorPlatform, { processIdModulus }: HardwareProcessNodeKind): OvertNode {
  const pid = options.processId ?? platform.processId ?? 0;
  return {
    hardwareId: hardwareId(options.hardwareId ?? 'mac', platform.hardwareIds ?? {}),
    processId: integerOption('processId', pid, 0, Number.MAX_SAFE_INTEGER) % processIdModulus,
  };
}

function hardwareId(value: NonNullable<GeneratorOptions['hardwareId']>, hardwareIds: HardwareIdProviders): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== HARDWARE_ID_BYTES) {
      throw new InvalidOptionError('hardwareId', `hardwareId must be exactly ${HARDWARE_ID_BYTES} bytes; got ${value.length}`);
    }
    return value.slice();
  }
  if ((hardwareIdProviderNames as readonly unknown[]).includes(value)) {
    const provide = hardwareIds[value as keyof HardwareIdProviders];
    if (!provide) {
      throw new InvalidOptionError(
        'hardwareId',
        `hardwareId "${value}" reads this machine's network interfaces, which only the Node entry (flakery) can do; ` +
          'here pass a fixed hardware id (6 bytes or 12 hex digits), or a provider of it in hardwareIds',
        { code: 'ERR_HARDWARE_ID_UNAVAILABLE' },
      );
    }
    return provide();
  }
  if (typeof value === 'string' && /^[0-9a-f:-]+$/i.test(value)) return hardwareIdFromHex('hardwareId', value);
  throw new InvalidOptionError('hardwareId', `hardwareId must be "mac", "simple", "host", 6 bytes or 12 hex digits; got ${show(value)}`);
}
