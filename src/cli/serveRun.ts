import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { containerIdentityWarning } from '../machine/hardwareId/containerIdentityWarning.js';
import { networkMacs } from '../machine/hardwareId/networkMacs.js';
import { parseRedisUrl } from '../machine/workerId/redisUrl.js';
import { formatHostPort } from '../server/hostPort.js';
import { formatStartupBanner } from '../server/logging/startupBanner.js';
import type { ServerConfig } from '../server/ServerConfig.js';
import type { GeneratorConfig } from '../generator/GeneratorConfig.js';
import { NodeGuards } from '../server/NodeGuards.js';
import { connectionCaps } from '../server/connectionCaps.js';
import { readOpenFileLimit } from '../server/openFileLimit.js';
import { type RunningIdServer, type StartIdServerOptions, startIdServer, startIdServerOptionsOf } from '../server/startIdServer.js';
import { EXIT_OK } from './Command.js';
import { packageVersion } from './version.js';

export interface ServeRunOptions extends StartIdServerOptions {
  /** How messages start: `flakery serve`, `ofsrvr`. */
  readonly program: string;
  /** Stops the server when aborted. Default: the first SIGTERM or SIGINT. */
  readonly stop?: AbortSignal;
  /** How long a graceful stop waits for answers in flight before it cuts connections. */
  readonly shutdownTimeoutMs?: number;
  /**
   * Called once listening, e.g. to start an HTTP listener on the same IdService; `guards`
   * tell the worker id for /healthz.
   */
  readonly onListening?: (server: RunningIdServer, guards: NodeGuards) => void | Promise<void>;
  /** The HTTP API's URL for the banner, once onListening has started it. */
  readonly httpUrl?: () => string | undefined;
  /** Listeners that take connections (TCP alone: 1; with HTTP: 2): they share the open-file limit. */
  readonly listeners?: number;
  /** The soft open-file limit; default: the process's (readOpenFileLimit). */
  readonly openFileLimit?: number | undefined;
}

/**
 * Runs the ID server until stopped; resolves to the exit status. Used by `flakery serve` and
 * `ofsrvr` alike, so both behave the same once their flags are read:
 * - prints the banner to stderr (address, layout, epoch, node, whether auth is on — never the
 *   token) and warnings (no auth on all interfaces; a container's shared identity);
 * - on SIGTERM or SIGINT stops accepting, lets answers in flight finish, and exits 0; a second
 *   signal cuts the remaining connections at once.
 * Failing to listen rejects with ERR_LISTEN (the dispatcher prints it, status 1).
 */
export async function runServe(given: ServerConfig, stderr: Writable, options: ServeRunOptions): Promise<number> {
  const { program } = options;
  const caps = connectionCaps({
    maxConnections: given.maxConnections,
    from: given.maxConnectionsFrom,
    listeners: options.listeners ?? 1,
    openFileLimit: 'openFileLimit' in options ? options.openFileLimit : readOpenFileLimit(),
  });
  const config: ServerConfig = { ...given, maxConnections: caps.perListener };
  const guards = await NodeGuards.open(config);
  if (guards.startWaitMs > 0) {
    // Not listening yet: clients fail over to another server instead of being cut off.
    stderr.write(`${program}: waiting ${guards.startWaitMs} ms ${guards.startWaitReason} before listening\n`);
    await sleep(guards.startWaitMs + 1);
  }
  let generatorConfig: GeneratorConfig<unknown> | undefined;
  let server: RunningIdServer;
  try {
    server = await startIdServer(config, {
      ...startIdServerOptionsOf(options), // it refuses keys it does not know, such as ours
      createGenerator: (withGates) => guards.createGenerator((generatorConfig = withGates)),
      healthChecks: [...(options.healthChecks ?? []), () => guards.health()],
    });
  } catch (error) {
    await guards.close();
    throw error;
  }
  guards.attach(server.service, generatorConfig!, options.observer);
  const address = formatHostPort(server.address);
  try {
    await options.onListening?.(server, guards);
  } catch (error) {
    // E.g. the HTTP port is taken: do not leave the TCP listener and the lease behind.
    await server.close({ timeoutMs: 0 });
    await guards.close();
    throw error;
  }
  const httpUrl = options.httpUrl?.();
  // The generator's node, not the config's: a leased worker id is only known now, and a held
  // overt node may have moved its process id.
  const node = config.generator.layout.describeNode(server.service.generator.node);
  stderr.write(
    formatStartupBanner({
      version: packageVersion(),
      layout: config.layout,
      epochMs: config.generator.epochMs,
      node: config.hardwareIdType ? { ...node, hardwareIdType: config.hardwareIdType } : node,
      tcp: address,
      ...(httpUrl === undefined ? {} : { http: httpUrl }),
      tls: options.tls !== undefined,
      authRequired: config.authToken !== undefined,
      maxCount: config.maxCount,
    }),
  );
  for (const line of guards.describe()) stderr.write(`${program}: ${line}\n`);
  if (guards.notBeforeUnixMs > Date.now()) {
    stderr.write(`${program}: no IDs before ${new Date(guards.notBeforeUnixMs).toISOString()}: waiting for the clock to pass it\n`);
  }
  // Before "listening", which callers wait for: everything said about the start is out by then.
  if (caps.note !== undefined) stderr.write(`${program}: ${caps.note}\n`);
  if (caps.warning !== undefined) stderr.write(`${program}: warning: ${caps.warning}\n`);
  stderr.write(`${program}: listening on ${address}\n`);
  for (const warning of warnings(config)) stderr.write(`${program}: warning: ${warning}\n`);

  const signal = await stopRequested(options.stop, () => server.tcp.destroyConnections());
  const open = server.tcp.connectionCount;
  stderr.write(`${program}: ${signal}: stopping; finishing ${open} open connection${open === 1 ? '' : 's'}\n`);
  await server.close({ timeoutMs: options.shutdownTimeoutMs ?? 10_000 });
  await guards.close();
  stderr.write(`${program}: stopped\n`);
  return EXIT_OK;
}

function warnings(config: ServerConfig): string[] {
  const result: string[] = [];
  const anyInterface = ['0.0.0.0', '::', '', '[::]'].includes(config.listen.host);
  if (anyInterface && config.authToken === undefined) {
    result.push(
      `listening on every interface (${formatHostPort(config.listen)}) without an auth token: anyone who can reach ` +
        'this port gets IDs. Set a token, or listen on a private address.',
    );
  }
  const workerIdSpec = config.workerId?.source === 'spec' ? config.workerId : undefined;
  if (workerIdSpec && /^rediss?:\/\//.test(workerIdSpec.spec) && parseRedisUrl(workerIdSpec.spec, workerIdSpec.from).password !== undefined) {
    result.push(
      `the Redis password in ${workerIdSpec.from} can be read by every user of this machine with ps; ` +
        'give it with --redis-password-file or FLAKERY_REDIS_PASSWORD instead',
    );
  }
  if (config.hardwareIdType !== undefined) {
    let macs: ReturnType<typeof networkMacs> = [];
    try {
      macs = networkMacs();
    } catch {
      // No interfaces to look at: nothing to warn about.
    }
    const warning = containerIdentityWarning(process.pid, macs, config.hardwareIdType);
    if (warning) result.push(warning);
  }
  return result;
}

/**
 * Resolves with the reason to stop: `abort`'s, or the first SIGTERM/SIGINT. Later signals call
 * `force` (stop waiting for slow readers). Signal handlers are removed again when `force` can
 * no longer matter, so the process exits by itself once the server is closed.
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
    // While the close is pending the handlers stay, so a second signal forces it. They are
    // unref'd in effect: signal listeners do not keep Node's event loop alive.
  });
}
