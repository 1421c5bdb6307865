// The public API of Flakery. This file only re-exports.
export { createGenerator } from './createGenerator.js';
export { createLockedGenerator, type LockedGenerator } from './createLockedGenerator.js';
export type { NodeLockOptions } from './machine/nodeLock/NodeLock.js';
export type { GeneratorOptions } from './options/GeneratorOptions.js';
export type { GeneratorPlatform, HardwareIdProviderName, HardwareIdProviders } from './options/HardwareIdProviders.js';
export { Generator, type NextResult } from './generator/Generator.js';
export type { GeneratorConfig } from './generator/GeneratorConfig.js';
export type { TimeGate } from './generator/TimeGate.js';
export { allocate, initialState, type Allocation, type SequenceLimits, type SequenceState } from './generator/allocate.js';

export type { Clock } from './clock/Clock.js';
export { systemClock } from './clock/Clock.js';
export { ManualClock } from './clock/ManualClock.js';

export type { IdEncoder, IdFields, Layout } from './layouts/Layout.js';
export type { HardwareProcessNodeKind, NodeKind, WorkerNodeKind } from './layouts/NodeKind.js';
export { epochs, type EpochName } from './layouts/epochs.js';
export { layouts, layoutNames, type LayoutName } from './layouts/registry.js';
export {
  SnowflakeLayout,
  snowflakeLayout,
  type SnowflakeNode,
  SNOWFLAKE_TIME_BITS,
  SNOWFLAKE_WORKER_BITS,
  SNOWFLAKE_SEQUENCE_BITS,
  MAX_WORKER_ID,
  MAX_DATACENTER_ID,
  MAX_TWITTER_MACHINE_ID,
} from './layouts/SnowflakeLayout.js';
export { OvertLayout, overtLayout, OVERT_TIME_BITS, OVERT_SEQUENCE_BITS } from './layouts/OvertLayout.js';
export { Overt53Layout, overt53Layout, OVERT53_TIME_BITS, OVERT53_SEQUENCE_BITS } from './layouts/Overt53Layout.js';
export {
  UuidV7Layout,
  uuidv7Layout,
  UUIDV7_TIME_BITS,
  UUIDV7_SEQUENCE_BITS,
  UUIDV7_PROCESS_ID_BITS,
  UUIDV7_PROCESS_ID_MODULUS,
} from './layouts/UuidV7Layout.js';
export { type OvertNode, HARDWARE_ID_BYTES, PROCESS_ID_BITS } from './layouts/OvertNode.js';

export { createDecoder, decode, type DecodeOptions, type DecodeOrigin, type DecodedForeignId, type DecodedId } from './id/decode.js';
export { formatId, parseId, idFormats, type IdFormat } from './id/IdFormat.js';
export { implausibleTime, type ImplausibleTime, EARLIEST_PLAUSIBLE_UNIX_MS, PLAUSIBLE_AHEAD_MS } from './id/implausibleTime.js';
export { bytesToBigInt, bigIntToBytes } from './id/IdBytes.js';

export {
  macHardwareId,
  simpleHardwareId,
  hostHardwareId,
  hardwareIdTypes,
  nodeHardwareIds,
  type HardwareIdType,
} from './machine/hardwareId/hardwareIdProviders.js';

export {
  FlakeryError,
  InvalidOptionError,
  ClockError,
  TimeRangeError,
  InvalidIdError,
  type ErrorCode,
} from './errors.js';

// The client is part of the main entry too: most users want IDs from a server as often as
// from a local generator. The server's parts are under `flakery/server`.
export { createClient } from './client/createClient.js';
export { IdClient, type ClientOptions, type ServerEntry } from './client/IdClient.js';
export type { IdSource } from './client/IdSource.js';
export type { PrefetchOptions } from './client/resolvePrefetch.js';
export { LocalIdSource } from './client/LocalIdSource.js';
