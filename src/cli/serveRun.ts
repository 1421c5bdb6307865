import type { Writable } from 'node:stream';
import { createLogger } from '../server/logging/createLogger.js';
import { LoggingObserver } from '../server/logging/LoggingObserver.js';
import { MetricsObserver } from '../server/metrics/MetricsObserver.js';
import { fanOutObserver } from '../server/observers/fanOutObserver.js';
import type { ServerConfig } from '../server/ServerConfig.js';
import { inspectorFor } from '../server/inspector/inspectorFor.js';
import { StatsRecorder } from '../server/inspector/StatsRecorder.js';
import { type IdNodeOptions, type InspectedNode, startIdNode } from '../server/startIdNode.js';
import { packageVersion } from '../version.js';
import { EXIT_OK } from './Command.js';
import type { OpsConfig } from './opsFlags.js';
import { prettyLogLines } from './prettyLogLines.js';
import { type StartReport, jsonStartReport, prettyStartReport } from './startReport.js';

export interface ServeRunOptions {
  /** How messages start: `flakery serve`, `ofsrvr`. */
  readonly program: string;
  /** JSON log lines (`--log-format json`). */
  readonly stdout: Writable;
  /** The banner and human log lines (`--log-format pretty`, and always for ofsrvr). */
  readonly stderr: Writable;
  /** `flakery serve`'s operator flags: HTTP API, TLS, logs and metrics; absent (ofsrvr): TCP, banner only. */
  readonly ops?: OpsConfig;
  /** Stops the server when aborted. Default: the first SIGTERM or SIGINT. */
  readonly stop?: AbortSignal;
  /** How long a graceful stop waits for answers in flight before it cuts connections. */
  readonly shutdownTimeoutMs?: number;
  /** The soft open-file limit; default: the process's (readOpenFileLimit). */
  readonly openFileLimit?: number | undefined;
}

/**
 * Runs the ID server until stopped; resolves to the exit status. `flakery serve` and `ofsrvr`
 * alike: flags → config → startIdNode → one start report (startReport.ts) → wait for the stop.
 * On SIGTERM or SIGINT it stops accepting, lets answers in flight finish, and exits 0; a second
 * signal cuts the remaining connections at once. Failing to start rejects (ERR_LISTEN, a guard's
 * code); the dispatcher prints it, status 1.
 */
export async function runServe(config: ServerConfig, options: ServeRunOptions): Promise<number> {
  const { program, ops } = options;
  const json = ops?.logFormat === 'json';
  const logger = ops && createLogger({ level: ops.logLevel, destination: json ? options.stdout : prettyLogLines(program, options.stderr) });
  const report: StartReport = logger && json ? jsonStartReport(logger) : prettyStartReport(program, options.stderr);
  const metrics = ops && new MetricsObserver({ listeners: ops.http ? ['tcp', 'http'] : ['tcp'] });
  // The inspector page's per-second samples, when --http serves it.
  const stats = ops?.http && ops.inspector ? new StatsRecorder() : undefined;
  const inspector = stats && ((inspected: InspectedNode) => inspectorFor(config, inspected, stats, packageVersion()));
  const nodeOptions: IdNodeOptions = {
    onStartWait: (wait) => report.startWait(wait),
    ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
    ...('openFileLimit' in options ? { openFileLimit: options.openFileLimit } : {}),
    ...(ops && logger && metrics
      ? {
          observer: fanOutObserver(metrics, new LoggingObserver(logger), ...(stats ? [stats] : [])),
          tls: ops.tls,
          http: ops.http && { listen: ops.http, metrics, logger, ...(inspector ? { inspector } : {}) },
        }
      : {}),
  };
  // Listening for the stop before "listening on" is written: whoever reads that line may signal at once.
  let node: Awaited<ReturnType<typeof startIdNode>> | undefined;
  const stop = stopRequested(options.stop, () => node?.destroyConnections());
  try {
    node = await startIdNode(config, nodeOptions);
    report.started(node.info);
    const reason = await stop;
    report.stopping(reason, node.connectionCount);
    await node.close();
  } finally {
    metrics?.close(); // stops sampling the event loop and GC, also when the start failed
  }
  report.stopped();
  return EXIT_OK;
}

/**
 * Resolves with the reason to stop: `abort`'s, or the first SIGTERM/SIGINT. Later signals call
 * `force` (stop waiting for slow readers). Signal listeners do not keep Node's event loop
 * alive, so the process exits by itself once the server is closed.
 */
function stopRequested(abort: AbortSignal | undefined, force: () => void): Promise<string> {
  if (abort) {
    return new Promise((resolve) => {
      if (abort.aborted) resolve('stop requested');
      else abort.addEventListener('abort', () => resolve('stop requested'), { once: true });
    });
  }
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        force();
        return;
      }
      stopping = true;
      resolve(`received ${signal}`);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
