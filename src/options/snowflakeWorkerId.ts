import { InvalidOptionError } from '../errors.js';
import { MAX_DATACENTER_ID, MAX_TWITTER_MACHINE_ID, MAX_WORKER_ID } from '../layouts/SnowflakeLayout.js';
import { integerOption } from './integerOption.js';

/** A value as the user gave it, and the name it goes by there (`machineId`, `--machine-id`, `-machineid`). */
export interface NamedValue {
  readonly value: unknown;
  readonly name: string;
}

/**
 * The snowflake worker id from a machine id alone (0–1023) or, Twitter style, a datacenter id
 * (0–31) and a machine id (0–31). The one check behind the library options, the command line
 * and the server config, each naming its values as the user spelled them.
 */
export function snowflakeWorkerId(
  machineId: NamedValue | undefined,
  datacenterId: NamedValue | undefined,
  names: { readonly machineId: string; readonly datacenterId: string },
): { readonly machineId: number; readonly datacenterId?: number; readonly workerId: number } {
  if (machineId === undefined) {
    throw new InvalidOptionError(
      names.machineId,
      `${names.machineId} is required for the snowflake layout: a worker id from 0 to ${MAX_WORKER_ID} unique to this ` +
        `generator (or 0 to ${MAX_TWITTER_MACHINE_ID} with ${names.datacenterId})`,
    );
  }
  if (datacenterId === undefined) {
    const id = integerOption(machineId.name, machineId.value, 0, MAX_WORKER_ID);
    return { machineId: id, workerId: id };
  }
  const datacenter = integerOption(datacenterId.name, datacenterId.value, 0, MAX_DATACENTER_ID);
  const machine = integerOption(machineId.name, machineId.value, 0, MAX_TWITTER_MACHINE_ID);
  return { machineId: machine, datacenterId: datacenter, workerId: (datacenter << 5) | machine };
}
