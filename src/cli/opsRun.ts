import type { Writable } from 'node:stream';
import { formatHostPort } from '../server/hostPort.js';
import type { HealthSource } from '../server/http/HealthSource.js';
import { HttpIdServer } from '../server/http/HttpIdServer.js';
import { type Logger, createLogger } from '../server/logging/createLogger.js';
import { LoggingObserver } from '../server/logging/LoggingObserver.js';
import { announceStart } from '../server/logging/startupBanner.js';
import { MetricsObserver } from '../server/metrics/MetricsObserver.js';
import { fanOutObserver } from '../server/observers/fanOutObserver.js';
import type { ServerConfig } from '../server/ServerConfig.js';
import type { NodeGuards } from '../server/NodeGuards.js';
import type { RunningIdServer } from '../server/startIdServer.js';
import type { OpsConfig } from './opsFlags.js';
import type { ServeRunOptions } from './serveRun.js';
import { packageVersion } from './version.js';

export interface StartOpsOptions {
  /** How messages start: `flakery serve`. */
  readonly program: string;
  /** JSON log lines go here (stdout). */
  readonly stdout: Writable;
  /** Where the HTTP address is announced, next to the TCP banner (stderr). */
  readonly stderr: Writable;
  /** Checked by /healthz besides the IdService (a worker-id lease, …). */
  readonly health?: readonly HealthSource[];
  /** Stop the HTTP API when aborted; default the first SIGTERM or SIGINT (as runServe). */
  readonly stop?: AbortSignal;
  /** How long the HTTP API's graceful close waits for answers in flight. Default 10 s. */
  readonly shutdownTimeoutMs?: number;
}

/** What the operator flags add to a running `flakery serve`. */
export interface Ops {
  readonly logger: Logger;
  readonly metrics: MetricsObserver;
  /** Spread into runServe's options: the observer (metrics + logs), TLS, and the HTTP start. */
  readonly serveOptions: Pick<ServeRunOptions, 'observer' | 'tls' | 'onListening' | 'httpUrl' | 'listeners'>;
  /** The HTTP API once started; undefined when --http was not given. */
  readonly http: () => HttpIdServer | undefined;
  /** Closes the HTTP API gracefully (idempotent). Await it after runServe returns. */
  close(): Promise<void>;
}

/**
 * Makes the logger (JSON on stdout), the metrics and the observer that feeds both, and, once
 * runServe has the TCP listener up, starts the HTTP API on the same IdService. The HTTP API
 * begins its graceful close on the same signal that stops TCP, so /healthz turns 503 while the
 * connections drain, and a load balancer stops sending. Usage in `flakery serve`:
 *
 * ```ts
 * const ops = startOps(resolveOpsFlags(args.values), config, { program, stdout: io.stdout, stderr: io.stderr });
 * try {
 *   return await runServe(config, io.stderr, { program, ...ops.serveOptions });
 * } finally {
 *   await ops.close();
 * }
 * ```
 */
export function startOps(ops: OpsConfig, config: ServerConfig, options: StartOpsOptions): Ops {
  const logger = createLogger({ level: ops.logLevel, destination: options.stdout });
  const metrics = new MetricsObserver({ listeners: ops.http ? ['tcp', 'http'] : ['tcp'] });
  const observer = fanOutObserver(metrics, new LoggingObserver(logger));
  let http: HttpIdServer | undefined;
  let closing: Promise<void> | undefined;
  let started = false;
  const timeoutMs = options.shutdownTimeoutMs ?? 10_000;

  const onSignal = () => void close();
  const detach = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  const close = (): Promise<void> => {
    detach();
    closing ??= (async () => {
      await http?.close({ timeoutMs });
      metrics.close(); // stops sampling the event loop and GC
      if (started) logger.info({ event: 'stopped' }, 'server stopped');
    })();
    return closing;
  };

  const onListening = async (server: RunningIdServer, guards?: NodeGuards): Promise<void> => {
    started = true;
    if (ops.http) {
      http = new HttpIdServer({
        service: server.service,
        authToken: config.authToken,
        maxCount: config.maxCount,
        maxConnections: server.tcp.maxConnections, // as fitted to the open-file limit (runServe)
        authTimeoutMs: config.authTimeoutMs,
        health: [...(options.health ?? []), () => server.health()], // lease, state file; then the IdService
        ...(guards ? { healthDetails: () => guards.healthDetails() } : {}),
        metrics,
        observer,
        logger,
        tls: ops.tls,
      });
      await http.listen(ops.http);
      options.stderr.write(`${options.program}: HTTP API on ${http.url()}\n`);
      if (options.stop) {
        if (options.stop.aborted) void close();
        else options.stop.addEventListener('abort', () => void close(), { once: true });
      } else {
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
      }
    }
    announceStart(
      {
        version: packageVersion(),
        layout: config.layout,
        epochMs: config.generator.epochMs,
        node: config.generator.layout.describeNode(server.service.generator.node), // a leased worker id too
        tcp: formatHostPort(server.address),
        ...(http ? { http: http.url()! } : {}),
        tls: ops.tls !== undefined,
        authRequired: config.authToken !== undefined,
        maxCount: config.maxCount,
      },
      { logger },
    );
  };

  return {
    logger,
    metrics,
    serveOptions: { observer, onListening, httpUrl: () => http?.url(), listeners: ops.http ? 2 : 1, ...(ops.tls ? { tls: ops.tls } : {}) },
    http: () => http,
    close,
  };
}
