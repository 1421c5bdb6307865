import type { TlsOptions } from 'node:tls';
import { Generator } from '../generator/Generator.js';
import type { GeneratorConfig } from '../generator/GeneratorConfig.js';
import { knownOptions, rejectUnknownKeys } from '../options/knownOptions.js';
import type { TimeGate } from '../generator/TimeGate.js';
import type { HostPort } from './hostPort.js';
import { IdService, type IdServiceHealth } from './IdService.js';
import type { ServerConfig } from './ServerConfig.js';
import { type ServerObserver, silentObserver } from './ServerObserver.js';
import { TcpIdServer } from './TcpIdServer.js';

export interface StartIdServerOptions {
  /** Checks added to the generator's (a persisted high-water mark, a worker-id lease). */
  readonly gates?: readonly TimeGate[];
  /**
   * Makes the generator from the validated config, for callers that need more control (restore
   * state first, take a lease). Default: `new Generator({ ...config, gates })`.
   */
  readonly createGenerator?: (config: GeneratorConfig<unknown>) => Generator<unknown> | Promise<Generator<unknown>>;
  readonly observer?: ServerObserver;
  /** Serve TCP over TLS with these options. */
  readonly tls?: TlsOptions;
  /** More reasons the node cannot issue IDs (a lost worker-id lease, a failing state file). */
  readonly healthChecks?: readonly (() => IdServiceHealth)[];
}

const startIdServerOptionNames = knownOptions<StartIdServerOptions>({
  gates: true,
  createGenerator: true,
  observer: true,
  tls: true,
  healthChecks: true,
});

/** The StartIdServerOptions of an options object that extends them (`flakery serve`'s). */
export function startIdServerOptionsOf(options: StartIdServerOptions): StartIdServerOptions {
  return Object.fromEntries(startIdServerOptionNames.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]));
}

/** A started server: the TCP listener and the IdService that HTTP (or anything else) can share. */
export interface RunningIdServer {
  readonly generator: Generator<unknown>;
  readonly service: IdService;
  readonly tcp: TcpIdServer;
  /** Where the TCP listener is bound (the real port when 0 was asked for). */
  readonly address: HostPort;
  /** `ok`, or the first reason the node cannot issue IDs now: its health checks, then the service's. */
  health(): IdServiceHealth;
  /** Graceful close of the TCP listener (see TcpIdServer.close). */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Makes the generator, the IdService and the TCP server from a validated ServerConfig, and
 * starts listening. The generator's gates come from the caller, so restart safety and worker
 * leases are wired in from outside without this module knowing about files or Redis.
 */
export async function startIdServer(config: ServerConfig, options: StartIdServerOptions = {}): Promise<RunningIdServer> {
  rejectUnknownKeys(options, startIdServerOptionNames, 'startIdServer');
  const generatorConfig: GeneratorConfig<unknown> = {
    ...config.generator,
    gates: [...config.generator.gates, ...(options.gates ?? [])],
  };
  const generator = options.createGenerator ? await options.createGenerator(generatorConfig) : new Generator(generatorConfig);
  const observer = options.observer ?? silentObserver;
  const service = new IdService({ generator, observer, maxClockWaitMs: config.maxClockWaitMs });
  const tcp = new TcpIdServer({
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
  return {
    generator,
    service,
    tcp,
    address: { host: bound.address, port: bound.port },
    health: () => {
      for (const check of options.healthChecks ?? []) {
        const health = check();
        if (!health.ok) return health;
      }
      return service.health();
    },
    close: (closeOptions) => tcp.close(closeOptions),
  };
}
