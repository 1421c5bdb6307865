// flakery/server: the ID server's parts, for embedding it in a Node program. Re-exports only.
export { startIdServer, type RunningIdServer, type StartIdServerOptions } from '../server/startIdServer.js';
export { IdService, idServiceDefaults, type IdServiceHealth, type IdServiceOptions, type IdSink } from '../server/IdService.js';
export { TcpIdServer, tcpServerDefaults, type TcpIdServerOptions } from '../server/TcpIdServer.js';
export { HttpIdServer, httpServerDefaults, type HttpIdServerOptions } from '../server/http/HttpIdServer.js';
export type { HttpConnectionState } from '../server/http/FrontConnection.js';
export { resolveServerConfig } from '../server/resolveServerConfig.js';
export { loadServerConfigFile, parseServerConfigFile } from '../server/loadServerConfigFile.js';
export type { ServerConfig, ServerSettings } from '../server/ServerConfig.js';
export { NodeGuards } from '../server/NodeGuards.js';
export { type ServerObserver, type ListenerKind, type RequestOutcome, silentObserver } from '../server/ServerObserver.js';
export { MetricsObserver } from '../server/metrics/MetricsObserver.js';
export { LoggingObserver } from '../server/logging/LoggingObserver.js';
export { createLogger, parseLogLevel } from '../server/logging/createLogger.js';
export { fanOutObserver } from '../server/observers/fanOutObserver.js';
export { loadServerTls, loadCaFile } from '../server/tls/loadServerTls.js';
export { HighWaterMark } from '../state/HighWaterMark.js';
export { parseWorkerIdSource } from '../machine/workerId/parseWorkerIdSource.js';
export type { WorkerIdLease, WorkerIdSource } from '../machine/workerId/WorkerIdLease.js';
