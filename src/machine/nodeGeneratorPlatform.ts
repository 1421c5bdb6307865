import type { GeneratorPlatform } from '../options/HardwareIdProviders.js';
import { type MachineFacts, localMachine, nodeHardwareIds } from './hardwareId/hardwareIdProviders.js';

/**
 * What Node gives a generator beyond its options: the named hardware ids, read from `machine`
 * when a generator asks for one, and this process's pid as the default process id. The core
 * (`flakery/core`) has neither unless they are passed in.
 */
export function nodeGeneratorPlatform(machine: MachineFacts = localMachine): GeneratorPlatform {
  return { hardwareIds: nodeHardwareIds(machine), processId: process.pid };
}
