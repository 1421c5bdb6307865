import type { ConnectionOptions } from 'node:tls';
import { FlakeryError, InvalidOptionError } from '../errors.js';
import { bytesToBigInt } from '../id/IdBytes.js';
import type { Layout } from '../layouts/Layout.js';
import { integerOption, show } from '../options/integerOption.js';
import { resolveLayout } from '../options/resolveLayout.js';
import { MAX_WIRE_COUNT } from '../protocol/constants.js';
import { MAX_AUTH_TOKEN_BYTES, authTokenBytes } from '../net/authToken.js';
import { parseHostPort } from '../net/hostPort.js';
import { checkCount } from './checkCount.js';
import { ClientConnection, type ServerTarget } from './ClientConnection.js';
import { clientDefaults } from './clientDefaults.js';
import { FailoverFailures } from './FailoverFailures.js';
import type { IdSource } from './IdSource.js';
import type { IdTimeCheck } from './IdTimeCheck.js';
import { PrefetchFeed } from './PrefetchFeed.js';
import { resolvePrefetch } from './resolvePrefetch.js';
import { resolveIdTimeCheck } from './resolveIdTimeCheck.js';
import type { ClientOptions, ServerEntry } from './ClientOptions.js';

export type { ClientOptions, ServerEntry } from './ClientOptions.js';

/**
 * A client of one or more overt-flake compatible ID servers, with priority failover.
 *
 * It keeps one connection, to the first server in the list that can be reached, and pipelines
 * concurrent requests over it. When a server cannot be reached, or its connection breaks (or a
 * request times out) before an answer is complete, the request is sent again to the next server
 * in the list; IDs of a partial answer are never used. Each request tries each server at most
 * once, then fails with ERR_NO_SERVER_AVAILABLE. After a connection is lost, the next connection
 * starts again from the top of the list, so the primary is used again once it is back.
 *
 * Answers are checked (see IdTimeCheck, answerOrder): IDs of another layout or epoch, and IDs that
 * do not increase strictly (a faulty server repeating IDs), never reach the caller.
 *
 * Errors have stable codes: ERR_CONNECT_TIMEOUT, ERR_REQUEST_TIMEOUT, ERR_CONNECTION_LOST (as
 * `cause`s of) ERR_NO_SERVER_AVAILABLE; ERR_AUTH_REFUSED, ERR_IMPLAUSIBLE_ID and ERR_IDS_OUT_OF_ORDER when every server
 * refused that way; ERR_TLS when a server's certificate does not verify (not retried elsewhere:
 * trust is configuration, not a passing fault), and ERR_CLIENT_CLOSED after `close()`.
 *
 * With `prefetch`, calls are answered from IDs fetched ahead (a {@link PrefetchFeed}): never
 * older than `prefetch.maxAgeMs` when handed out, strictly increasing across calls and servers.
 */
export class IdClient implements IdSource {
  readonly idSize: number;
  readonly servers: readonly ServerTarget[];
  readonly #connectTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #maxCountPerRequest: number;
  readonly #retryable: ReadonlySet<string>;
  readonly #tls: ConnectionOptions | undefined;
  readonly #check: IdTimeCheck | undefined;
  readonly #feed: PrefetchFeed | undefined;
  #current: ClientConnection | undefined;
  #connecting: Promise<ClientConnection> | undefined;
  #closed = false;

  constructor(options: ClientOptions) {
    if (!Array.isArray(options?.servers) || options.servers.length === 0) {
      throw new InvalidOptionError('servers', 'servers must list at least one server as "host:port"');
    }
    this.servers = options.servers.map((entry, index) => serverTarget(entry, index));
    this.#connectTimeoutMs = integerOption('connectTimeoutMs', options.connectTimeoutMs ?? clientDefaults.connectTimeoutMs, 1, 2_147_483_647);
    this.#requestTimeoutMs = integerOption('requestTimeoutMs', options.requestTimeoutMs ?? clientDefaults.requestTimeoutMs, 1, 2_147_483_647);
    const { idSize, layout } = resolveIdLayout(options);
    this.idSize = idSize;
    this.#maxCountPerRequest = integerOption(
      'maxCountPerRequest',
      options.maxCountPerRequest ?? defaultMaxCount(layout),
      1,
      MAX_WIRE_COUNT,
    );
    this.#retryable = new Set(options.retryableCodes ?? clientDefaults.retryableCodes);
    this.#check = resolveIdTimeCheck(layout, options);
    this.#tls = options.tls;
    const prefetch = resolvePrefetch(layout, idSize, options);
    this.#feed = prefetch && new PrefetchFeed({
      ...prefetch,
      fetch: (count) => this.#request(count),
      maxCountPerRequest: this.#maxCountPerRequest,
      maxWaitMs: this.#requestTimeoutMs,
    });
  }

  /** True when the client answers from IDs fetched ahead (`prefetch`). */
  get prefetching(): boolean {
    return this.#feed !== undefined;
  }

  async next(): Promise<bigint> {
    const id = this.#feed === undefined ? undefined : this.#takePrefetched();
    return id ?? bytesToBigInt(await this.nextBytes(1), 0, this.idSize);
  }

  /**
   * One prefetched ID without waiting, or ERR_PREFETCH_EMPTY when none fresh is held (a refill
   * is then under way: `await next()` waits for it). Needs `prefetch`.
   */
  nextSync(): bigint {
    const id = this.#takePrefetched();
    if (id !== undefined) return id;
    throw new FlakeryError(
      'ERR_PREFETCH_EMPTY',
      this.#feed === undefined
        ? 'nextSync() answers from prefetched IDs: create the client with prefetch: { ids, maxAgeMs }'
        : 'no prefetched ID is at hand yet (a refill is under way): use await next(), or a larger prefetch.ids',
    );
  }

  /** One prefetched ID, or undefined when none is at hand (or prefetch is off). */
  #takePrefetched(): bigint | undefined {
    this.#checkOpen();
    return this.#feed?.takeOne();
  }

  async nextBatch(count: number): Promise<bigint[]> {
    const bytes = await this.nextBytes(count);
    const size = this.idSize;
    const ids = new Array<bigint>(bytes.length / size);
    for (let i = 0; i < ids.length; i++) ids[i] = bytesToBigInt(bytes, i * size, size);
    return ids;
  }

  /**
   * `count` IDs as bytes. Batches above `maxCountPerRequest` are asked for part by part, each
   * part after the previous one arrived, so the parts stay in order even across a failover.
   */
  async nextBytes(count: number): Promise<Uint8Array> {
    this.#checkOpen();
    const total = checkCount(count, this.idSize);
    if (this.#feed !== undefined) return this.#feed.take(total);
    if (total <= this.#maxCountPerRequest) return total === 0 ? new Uint8Array(0) : this.#request(total);
    const bytes = new Uint8Array(total * this.idSize);
    for (let done = 0; done < total; ) {
      const part = Math.min(this.#maxCountPerRequest, total - done);
      bytes.set(await this.#request(part), done * this.idSize);
      done += part;
    }
    return bytes;
  }

  /** Closes the connection; requests still waiting reject with ERR_CLIENT_CLOSED, as do later calls. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#feed?.close();
    this.#current?.destroy(closedError());
    this.#current = undefined;
    await this.#connecting?.then((connection) => connection.destroy(closedError()), () => {});
  }

  /** One request, with failover: each server at most once. */
  async #request(count: number): Promise<Uint8Array> {
    const tried = new Set<number>();
    const failures = new FailoverFailures();
    for (;;) {
      const connection = await this.#connectionFor(tried, failures);
      try {
        return await connection.request(count, this.#requestTimeoutMs);
      } catch (error) {
        if (this.#closed) throw closedError();
        if (!this.#isRetryable(error)) throw error;
        tried.add(connection.target.index);
        failures.add(connection.target.address, error);
      }
    }
  }

  /** The live connection, or a new one to the first server this request has not tried. */
  async #connectionFor(tried: Set<number>, failures: FailoverFailures): Promise<ClientConnection> {
    for (;;) {
      this.#checkOpen();
      const current = this.#current;
      if (current?.alive && !tried.has(current.target.index)) return current;
      if (this.#connecting === undefined) {
        const attempt = this.#connectInOrder(tried, failures);
        this.#connecting = attempt;
        try {
          return await attempt;
        } finally {
          if (this.#connecting === attempt) this.#connecting = undefined;
        }
      }
      // Someone else is connecting: share their connection unless it is to a server we tried.
      await this.#connecting.catch(() => {});
    }
  }

  async #connectInOrder(tried: Set<number>, failures: FailoverFailures): Promise<ClientConnection> {
    for (const target of this.servers) {
      if (tried.has(target.index)) continue;
      try {
        const connection = await ClientConnection.connect(target, {
          idSize: this.idSize,
          timeoutMs: this.#connectTimeoutMs,
          tls: this.#tls,
          check: this.#check,
        });
        if (this.#closed) {
          connection.destroy(closedError());
          throw closedError();
        }
        this.#current?.retire();
        this.#current = connection;
        return connection;
      } catch (error) {
        if (this.#closed) throw closedError();
        if (!this.#isRetryable(error)) throw error;
        tried.add(target.index);
        failures.add(target.address, error);
      }
    }
    throw failures.toError();
  }

  #isRetryable(error: unknown): boolean {
    const code = (error as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' && this.#retryable.has(code);
  }

  #checkOpen(): void {
    if (this.#closed) throw closedError();
  }
}

function closedError(): FlakeryError {
  return new FlakeryError('ERR_CLIENT_CLOSED', 'the client is closed');
}

function serverTarget(entry: ServerEntry, index: number): ServerTarget {
  const option = `servers[${index}]`;
  const address = typeof entry === 'string' ? entry : entry?.address;
  const { host, port } = parseHostPort(option, address);
  // As overt-flake: an empty token means "no auth".
  const token = typeof entry === 'string' ? undefined : authTokenBytes(entry.authToken, `${option}.authToken`, MAX_AUTH_TOKEN_BYTES.tcp);
  return { index, address: String(address).trim(), host, port, token };
}

/** The servers' layout (overt when neither it nor `idSize` is given) and ID size. */
function resolveIdLayout(options: ClientOptions): { idSize: number; layout: Layout<unknown> | undefined } {
  const layout = options.layout === undefined ? undefined : resolveLayout('layout', options.layout);
  if (options.idSize === undefined) {
    const resolved = layout ?? resolveLayout('layout', 'overt');
    return { idSize: resolved.byteLength, layout: resolved };
  }
  const idSize = integerOption('idSize', options.idSize, 4, 64);
  if (idSize % 4 !== 0) throw new InvalidOptionError('idSize', `idSize must be a multiple of 4 from 4 to 64; got ${idSize}`);
  if (layout !== undefined && layout.byteLength !== idSize) {
    throw new InvalidOptionError('idSize', `idSize ${idSize} does not match the ${show(layout.name)} layout's ${layout.byteLength} bytes`);
  }
  return { idSize, layout };
}

/** 2^sequenceBits − 1, at most 65,535: the most the original server answers per request for the layout. */
function defaultMaxCount(layout: Layout<unknown> | undefined): number {
  if (layout === undefined) return clientDefaults.maxCountPerRequest;
  return Math.min(clientDefaults.maxCountPerRequest, 2 ** layout.sequenceBits - 1);
}
