import { systemClock } from '../clock/Clock.js';
import { InvalidOptionError } from '../errors.js';
import type { GeneratorConfig } from '../generator/GeneratorConfig.js';
import type { Layout } from '../layouts/Layout.js';
import { HARDWARE_ID_BYTES, type OvertNode, PROCESS_ID_MODULUS } from '../layouts/OvertNode.js';
import type { SnowflakeNode } from '../layouts/SnowflakeLayout.js';
import { UUIDV7_PROCESS_ID_MODULUS } from '../layouts/UuidV7Layout.js';
import { hardwareIdFromHex } from '../machine/hardwareId/fixedHardwareId.js';
import {
  type MachineFacts,
  hostHardwareId,
  localMachine,
  macHardwareId,
  simpleHardwareId,
} from '../machine/hardwareId/hardwareIdProviders.js';
import { type GeneratorOptions, generatorOptionNames } from './GeneratorOptions.js';
import { integerOption, show } from './integerOption.js';
import { resolveLayoutEpoch } from './resolveEpoch.js';
import { resolveLayout } from './resolveLayout.js';
import { snowflakeWorkerId } from './snowflakeWorkerId.js';

/** The latest Unix ms a `waitFor` may name: 9999-12-31. */
const MAX_UNIX_MS = 253402300799999;

/** Validates user options once, into the configuration the generator trusts. */
export function resolveGeneratorConfig(options: GeneratorOptions, machine: MachineFacts = localMachine): GeneratorConfig<unknown> {
  for (const key of Object.keys(options)) {
    if (!(generatorOptionNames as readonly string[]).includes(key)) {
      throw new InvalidOptionError(key, `unknown generator option ${show(key)}; known: ${generatorOptionNames.join(', ')}`);
    }
  }
  const layout = resolveLayout('layout', options.layout ?? 'overt');
  const epochMs = resolveLayoutEpoch('epoch', layout, options.epoch);
  const waitFor = options.waitFor === undefined ? 0 : integerOption('waitFor', options.waitFor, 0, MAX_UNIX_MS);
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function') throw new InvalidOptionError('clock', 'clock must have a now() method returning Unix ms');
  return {
    layout,
    node: resolveNode(layout, options, machine),
    epochMs,
    clock,
    notBeforeUnixMs: waitFor,
    gates: options.gates ?? [],
  };
}

function resolveNode(layout: Layout<unknown>, options: GeneratorOptions, machine: MachineFacts): unknown {
  const forbid = (names: (keyof GeneratorOptions)[]) => {
    for (const name of names) {
      if (options[name] !== undefined) {
        throw new InvalidOptionError(name, `${name} does not apply to the ${layout.name} layout`);
      }
    }
  };
  switch (layout.name) {
    case 'snowflake':
      forbid(['hardwareId', 'processId', 'node']);
      return snowflakeNode(options);
    case 'overt':
    case 'overt53':
      forbid(['machineId', 'datacenterId', 'node']);
      return overtNode(options, machine, PROCESS_ID_MODULUS);
    case 'uuidv7':
      forbid(['machineId', 'datacenterId', 'node']);
      return overtNode(options, machine, UUIDV7_PROCESS_ID_MODULUS);
    default:
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
function overtNode(options: GeneratorOptions, machine: MachineFacts, processIdModulus: number): OvertNode {
  const pid = options.processId ?? globalThis.process?.pid ?? 0;
  return {
    hardwareId: hardwareId(options.hardwareId ?? 'mac', machine),
    processId: integerOption('processId', pid, 0, Number.MAX_SAFE_INTEGER) % processIdModulus,
  };
}

function hardwareId(value: NonNullable<GeneratorOptions['hardwareId']>, machine: MachineFacts): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== HARDWARE_ID_BYTES) {
      throw new InvalidOptionError('hardwareId', `hardwareId must be exactly ${HARDWARE_ID_BYTES} bytes; got ${value.length}`);
    }
    return value.slice();
  }
  switch (value) {
    case 'mac':
      return macHardwareId(machine);
    case 'simple':
      return simpleHardwareId(machine);
    case 'host':
      return hostHardwareId(machine);
    default:
      if (typeof value === 'string' && /^[0-9a-f:-]+$/i.test(value)) return hardwareIdFromHex('hardwareId', value);
      throw new InvalidOptionError(
        'hardwareId',
        `hardwareId must be "mac", "simple", "host", 6 bytes or 12 hex digits; got ${show(value)}`,
      );
  }
}
