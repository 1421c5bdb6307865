import type { Clock } from '../clock/Clock.js';
import type { TimeGate } from '../generator/TimeGate.js';
import type { EpochName } from '../layouts/epochs.js';
import type { Layout } from '../layouts/Layout.js';
import type { LayoutName } from '../layouts/registry.js';
import { knownOptions } from './knownOptions.js';

/** What `createGenerator` accepts. Everything is validated when the generator is created. */
export interface GeneratorOptions {
  /** `overt` (default), `overt53`, `snowflake`, `uuidv7`, or a custom Layout object. */
  layout?: LayoutName | Layout<unknown>;
  /**
   * A named epoch or Unix ms; default the layout's (`overtone` for overt, `twitter` for
   * snowflake). uuidv7 counts from `unix` (0) only: RFC 9562 fixes its epoch.
   */
  epoch?: EpochName | number;
  /**
   * snowflake only, required: the worker id 0–1023; or, with `datacenterId`, the machine id
   * 0–31 (Twitter style: worker id = datacenterId << 5 | machineId).
   */
  machineId?: number;
  /** snowflake only: 0–31. */
  datacenterId?: number;
  /**
   * overt/overt53/uuidv7 only: `mac` (default: SHA-1 of all MACs, as overt-flake), `simple` (the
   * first MAC), `host` (MACs + hostname + machine id + boot id: use it in containers), or a
   * fixed id as 6 bytes or 12 hex digits.
   */
  hardwareId?: 'mac' | 'simple' | 'host' | Uint8Array | string;
  /** overt/overt53/uuidv7 only: default this process's pid; stored modulo 2^16 (uuidv7: 2^14). */
  processId?: number;
  /** A custom layout's node, passed to its encoder as it is. */
  node?: unknown;
  /** Unix ms before which no ID is issued (overt-flake's `-waitfor`). */
  waitFor?: number;
  /** Default the system clock. */
  clock?: Clock;
  /** Checks before each new millisecond (high-water mark, worker-id lease). */
  gates?: readonly TimeGate[];
}

export const generatorOptionNames = knownOptions<GeneratorOptions>({
  layout: true,
  epoch: true,
  machineId: true,
  datacenterId: true,
  hardwareId: true,
  processId: true,
  node: true,
  waitFor: true,
  clock: true,
  gates: true,
});
