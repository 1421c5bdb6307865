import { setTimeout as sleep } from 'node:timers/promises';
import type { TlsOptions } from 'node:tls';
import type { Generator } from '../generator/Generator.js';
import type { GeneratorConfig } from '../generator/GeneratorConfig.js';
import { type HostPort, formatHostPort } from '../net/hostPort.js';
import { knownOptions, rejectUnknownKeys } from '../options/knownOptions.js';
import { packageVersion } from '../version.js';
import { connectionCaps } from './connectionCaps.js';
import type { HealthSource } from './http/HealthSource.js';
import { HttpIdServer } from './http/HttpIdServer.js';
import type { InspectorEndpoints } from './http/InspectorEndpoints.js';
import { IdService, type IdServiceHealth } from './IdService.js';
import type { StartupInfo } from './logging/startupBanner.js';
import { NodeGuards } from './NodeGuards.js';
import { readOpenFileLimit } from './openFileLimit.js';
import type { ServerConfig } from './ServerConfig.js';
import { type ServerObserver, silentObserver } from './ServerObserver.js';
import { startupWarnings } from './startupWarnings.js';
import { TcpIdServer } from './TcpIdServer.js';

export interface IdNodeOptions {
  /** Told of every request, connection and worker-id event (metrics, logs). */
  readonly observer?: ServerObserver;
  /** TLS on the TCP listener and HTTPS on the HTTP API (from `loadServerTls`). */
  readonly tls?: TlsOptions | undefined;
  /** Also serve the HTTP API (docs/http.md) on the same IdService; absent: TCP only. */
  readonly http?: IdNodeHttpOptions | undefined;
  /** More reasons the node cannot issue IDs, checked by `health()` and /healthz. */
  readonly healthChecks?: readonly HealthSource[];
  /** The soft open-file limit the connection caps are fitted to; default: the process's. */
  readonly openFileLimit?: number | undefined;
  /** Starts the graceful close when aborted (as `close()`); also cuts a start wait short. */
  readonly signal?: AbortSignal;
  /** How long the graceful close waits for answers in flight. Default 10 s. */
  readonly shutdownTimeoutMs?: number;
  /** Called before the node waits, unlistening, for the clock or a lease's previous holder. */
  readonly onStartWait?: (wait: { readonly ms: number; readonly reason: string }) => void;
}

export interface IdNodeHttpOptions {
  readonly listen: HostPort;
  /** Served at /metrics (a MetricsObserver); absent: /metrics is 404. */
  readonly metrics?: { render(): string };
  /** Where unexpected HTTP errors (500s) are reported; a pino logger fits. */
  readonly logger?: { error(fields: object, message: string): void };
  /**
   * The inspector page and its JSON (GET /, /v1/node, /v1/stats), made from the node's service
   * and health once they exist; absent: those paths answer 404.
   */
  readonly inspector?: (node: InspectedNode) => InspectorEndpoints;
}

/** What the inspector reads of a node: its service (generator, layout) and its health. */
export interface InspectedNode {
  readonly service: IdService;
  health(): IdServiceHealth;
}

const idNodeOptionNames = knownOptions<IdNodeOptions>({
  observer: true,
  tls: true,
  http: true,
  healthChecks: true,
  openFileLimit: true,
  signal: true,
  shutdownTimeoutMs: true,
  onStartWait: true,
});
const idNodeHttpOptionNames = knownOptions<IdNodeHttpOptions>({ listen: true, metrics: true, logger: true, inspector: true });

/** A node that serves IDs: its listeners, the one IdService they share, and its guards. */
export interface RunningIdNode {
  /** The generator now serving (it changes when a lost worker-id lease is replaced). */
  readonly generator: Generator<unknown>;
  readonly service: IdService;
  readonly tcp: TcpIdServer;
  readonly http: HttpIdServer | undefined;
  readonly guards: NodeGuards;
  /** What the node serves, for one banner or one `started` log line. Never the token. */
  readonly info: StartupInfo;
  /** `ok`, or the first reason the node cannot issue IDs now. */
  health(): IdServiceHealth;
  /** Open connections on both listeners. */
  readonly connectionCount: number;
  /**
   * Graceful close: both listeners stop accepting and finish the answers in flight (cut after
   * `timeoutMs`, default the `shutdownTimeoutMs` option), then the worker id is given back and
   * the state file closed. Idempotent; `closed` is the same promise.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves once a close (by `close()` or the signal) has finished. */
  readonly closed: Promise<void>;
  /** Cuts the remaining connections at once (a second SIGTERM). */
  destroyConnections(): void;
}

/**
 * The one composition root of an ID server, for `flakery serve`, `ofsrvr` and any program that
 * embeds one. In order: fits the connection caps to the open-file limit; opens the guards
 * (state file, worker-id lease or same-host lock; NodeGuards); waits, not yet listening, for
 * the clock to pass the restored mark or a lease's previous holder; makes the gated generator
 * and one IdService; starts TCP and, when asked, HTTP on it. Whatever was opened is closed
 * again when a later step fails. Fails with ERR_STATE_FILE, ERR_WORKER_ID,
 * ERR_WORKER_ID_IN_USE, ERR_NODE_ID_IN_USE, ERR_START_WAIT_EXCEEDED or ERR_LISTEN.
 *
 * ```ts
 * const config = resolveServerConfig({ layout: { value: 'snowflake', from: 'app' }, workerIdFrom: { value: 'redis://redis:6379/0', from: 'app' }, stateFile: { value: '/var/lib/app/ids.state', from: 'app' } });
 * const node = await startIdNode(config, { signal: shutdown.signal });
 * console.log(node.info.tcp);
 * await node.closed;
 * ```
 */
export async function startIdNode(given: ServerConfig, options: IdNodeOptions = {}): Promise<RunningIdNode> {
  rejectUnknownKeys(options, idNodeOptionNames, 'startIdNode');
  if (options.http) rejectUnknownKeys(options.http, idNodeHttpOptionNames, 'startIdNode http', 'http.');
  // Stopped before it started: take no worker id, open no file, bind no port.
  options.signal?.throwIfAborted();
  const caps = connectionCaps({
    maxConnections: given.maxConnections,
    from: given.maxConnectionsFrom,
    listeners: options.http ? 2 : 1,
    openFileLimit: 'openFileLimit' in options ? options.openFileLimit : readOpenFileLimit(),
  });
  const config: ServerConfig = { ...given, maxConnections: caps.perListener };
  const observer = options.observer ?? silentObserver;
  const guards = await NodeGuards.open(config);
  let tcp: TcpIdServer | undefined;
  let http: HttpIdServer | undefined;
  try {
    if (guards.startWaitMs > 0) {
      options.onStartWait?.({ ms: guards.startWaitMs, reason: guards.startWaitReason });
      await sleep(guards.startWaitMs + 1, undefined, options.signal ? { signal: options.signal } : {});
    }
    const generatorConfig: GeneratorConfig<unknown> = config.generator;
    const service = new IdService({ generator: guards.createGenerator(generatorConfig), observer, maxClockWaitMs: config.maxClockWaitMs });
    tcp = new TcpIdServer({
      service,
      authToken: config.authToken,
      maxCount: config.maxCount,
      maxConnections: config.maxConnections,
      idleTimeoutMs: config.idleTimeoutMs,
      authTimeoutMs: config.authTimeoutMs,
      observer,
      ...(options.tls ? { tls: options.tls } : {}),
    });
    const bound = await tcp.listen(config.listen);
    guards.attach(service, generatorConfig, observer);
    const checks: HealthSource[] = [...(options.healthChecks ?? []), () => guards.health()];
    if (options.http) {
      http = new HttpIdServer({
        service,
        authToken: config.authToken,
        maxCount: config.maxCount,
        maxConnections: config.maxConnections,
        authTimeoutMs: config.authTimeoutMs,
        health: checks,
        healthDetails: () => guards.healthDetails(),
        observer,
        tls: options.tls,
        ...(options.http.metrics ? { metrics: options.http.metrics } : {}),
        ...(options.http.logger ? { logger: options.http.logger } : {}),
        ...(options.http.inspector ? { inspector: options.http.inspector({ service, health: () => firstUnhealthy(checks, service) }) } : {}),
      });
      await http.listen(options.http.listen);
    }
    const notes = [...guards.describe()];
    if (guards.notBeforeUnixMs > Date.now()) notes.push(`no IDs before ${new Date(guards.notBeforeUnixMs).toISOString()}: waiting for the clock to pass it`);
    if (caps.note !== undefined) notes.push(caps.note);
    // The generator's node, not the config's: a leased worker id is only known now, and a held
    // overt node may have moved its process id.
    const node = config.generator.layout.describeNode(service.generator.node);
    const info: StartupInfo = {
      version: packageVersion(),
      layout: config.layout,
      epochMs: config.generator.epochMs,
      node: config.hardwareIdType ? { ...node, hardwareIdType: config.hardwareIdType } : node,
      tcp: formatHostPort({ host: bound.address, port: bound.port }),
      ...(http ? { http: http.url()! } : {}),
      tls: options.tls !== undefined,
      authRequired: config.authToken !== undefined,
      maxCount: config.maxCount,
      notes,
      warnings: [...startupWarnings(config), ...(caps.warning === undefined ? [] : [caps.warning])],
    };
    return running({ service, tcp, http, guards, info, checks }, options);
  } catch (error) {
    await Promise.all([tcp?.close({ timeoutMs: 0 }), http?.close({ timeoutMs: 0 })]);
    await guards.close();
    throw error;
  }
}

interface NodeParts {
  readonly service: IdService;
  readonly tcp: TcpIdServer;
  readonly http: HttpIdServer | undefined;
  readonly guards: NodeGuards;
  readonly info: StartupInfo;
  readonly checks: readonly HealthSource[];
}

/** The running node over its parts: one close for both listeners and the guards, after them. */
function running(parts: NodeParts, options: IdNodeOptions): RunningIdNode {
  const { service, tcp, http, guards, info, checks } = parts;
  let closing: Promise<void> | undefined;
  let markClosed: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const close = (closeOptions: { timeoutMs?: number } = {}): Promise<void> => {
    closing ??= (async () => {
      const timeoutMs = closeOptions.timeoutMs ?? options.shutdownTimeoutMs ?? 10_000;
      try {
        await Promise.all([tcp.close({ timeoutMs }), http?.close({ timeoutMs })]);
      } finally {
        await guards.close();
        markClosed();
      }
    })();
    return closing;
  };
  if (options.signal?.aborted) void close();
  else options.signal?.addEventListener('abort', () => void close(), { once: true });
  return {
    get generator() {
      return service.generator;
    },
    service,
    tcp,
    http,
    guards,
    info,
    health: () => firstUnhealthy(checks, service),
    get connectionCount() {
      return tcp.connectionCount + (http?.connectionStates().length ?? 0);
    },
    close,
    closed,
    destroyConnections: () => {
      tcp.destroyConnections();
      http?.destroyConnections();
    },
  };
}

/** `ok`, or the first reason the node cannot issue IDs now: its checks, then the service's. */
function firstUnhealthy(checks: readonly HealthSource[], service: IdService): IdServiceHealth {
  for (const check of checks) {
    const health = check();
    if (!health.ok) return health;
  }
  return service.health();
}
