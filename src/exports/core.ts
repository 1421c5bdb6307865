// flakery/core: the pure part of Flakery — layouts, ID values, the generator and the wire
// protocol — with no Node-only API, for browsers, Deno, Bun and workers. Re-exports only.
export { createGenerator } from '../generator/createGenerator.js';
export type { GeneratorOptions } from '../options/GeneratorOptions.js';
export type { GeneratorPlatform, HardwareIdProviderName, HardwareIdProviders } from '../options/HardwareIdProviders.js';
export { Generator, type NextResult } from '../generator/Generator.js';
export type { GeneratorConfig } from '../generator/GeneratorConfig.js';
export type { TimeGate } from '../generator/TimeGate.js';
export { allocate, initialState, type Allocation, type SequenceLimits, type SequenceState } from '../generator/allocate.js';
export { type Clock, systemClock } from '../clock/Clock.js';
export { ManualClock } from '../clock/ManualClock.js';
export type { IdEncoder, IdFields, Layout } from '../layouts/Layout.js';
export type { HardwareProcessNodeKind, NodeKind, WorkerNodeKind } from '../layouts/NodeKind.js';
export { epochs, type EpochName } from '../layouts/epochs.js';
export { layouts, layoutNames, type LayoutName } from '../layouts/registry.js';
export { SnowflakeLayout, snowflakeLayout, type SnowflakeNode } from '../layouts/SnowflakeLayout.js';
export { OvertLayout, overtLayout } from '../layouts/OvertLayout.js';
export { Overt53Layout, overt53Layout } from '../layouts/Overt53Layout.js';
export { UuidV7Layout, uuidv7Layout } from '../layouts/UuidV7Layout.js';
export type { OvertNode } from '../layouts/OvertNode.js';
export { createDecoder, decode, type DecodeOptions, type DecodeOrigin, type DecodedForeignId, type DecodedId } from '../id/decode.js';
export { formatId, parseId, idFormats, type IdFormat } from '../id/IdFormat.js';
export { implausibleTime, type ImplausibleTime, EARLIEST_PLAUSIBLE_UNIX_MS, PLAUSIBLE_AHEAD_MS } from '../id/implausibleTime.js';
export { bytesToBigInt, bigIntToBytes } from '../id/IdBytes.js';
export { FrameDecoder } from '../protocol/FrameDecoder.js';
export { encodeAuth, encodeCount, encodeRequests } from '../protocol/FrameEncoder.js';
export type { Frame, AuthFrame, CountFrame } from '../protocol/Frame.js';
export { ServerSession, type ServerSessionOptions, type SessionAction } from '../protocol/ServerSession.js';
export { FlakeryError, InvalidOptionError, ClockError, TimeRangeError, InvalidIdError, type ErrorCode } from '../errors.js';
