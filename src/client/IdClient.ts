import type { ConnectionOptions } from 'node:tls';
import { FlakeryError, InvalidOptionError } from '../errors.js';
import { bytesToBigInt } from '../id/IdBytes.js';
import type { Layout } from '../layouts/Layout.js';
import type { LayoutName } from '../layouts/registry.js';
import { integerOption, show } from '../options/integerOption.js';
import { resolveLayout } from '../options/resolveLayout.js';
import { MAX_TOKEN_LENGTH, MAX_WIRE_COUNT } from '../protocol/constants.js';
import { parseHostPort } from '../server/hostPort.js';
import { checkCount } from './checkCount.js';
import { ClientConnection, type ServerTarget } from './ClientConnection.js';
import { clientDefaults } from './clientDefaults.js';
import type { IdSource } from './IdSource.js';

/** One server: `host:port`, or with the token it requires. */
export type ServerEntry = string | { readonly address: string; readonly authToken?: string | Uint8Array | undefined };

export interface ClientOptions {
  /** In priority order: the first reachable one is used until its connection breaks. */
  readonly servers: readonly ServerEntry[];
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** The servers' layout, to know the ID size: `overt` (default), `overt53`, `snowflake`, `uuidv7` or a Layout. */
  readonly layout?: LayoutName | Layout<any>;
  /** Bytes per ID, instead of `layout`. */
  readonly idSize?: number;
  /** Larger batches are split into requests of at most this many IDs. Default 65,535. */
  readonly maxCountPerRequest?: number;
  /** Error codes that move a request on to the next server. Default `clientDefaults.retryableCodes`. */
  readonly retryableCodes?: readonly string[];
  /** Connect with TLS (options for `tls.connect`: ca, cert, key, servername, …). */
  readonly tls?: ConnectionOptions;
}

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
 * Errors have stable codes: ERR_CONNECT_TIMEOUT, ERR_REQUEST_TIMEOUT, ERR_CONNECTION_LOST (as
 * `cause`s of) ERR_NO_SERVER_AVAILABLE, ERR_TLS when a server's certificate does not verify (not
 * retried elsewhere: trust is configuration, not a passing fault), and ERR_CLIENT_CLOSED after
 * `close()`.
 */
export class IdClient implements IdSource {
  readonly idSize: number;
  readonly servers: readonly ServerTarget[];
  readonly #connectTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #maxCountPerRequest: number;
  readonly #retryable: ReadonlySet<string>;
  readonly #tls: ConnectionOptions | undefined;
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
    this.#maxCountPerRequest = integerOption(
      'maxCountPerRequest',
      options.maxCountPerRequest ?? clientDefaults.maxCountPerRequest,
      1,
      MAX_WIRE_COUNT,
    );
    this.#retryable = new Set(options.retryableCodes ?? clientDefaults.retryableCodes);
    this.idSize = resolveIdSize(options);
    this.#tls = options.tls;
  }

  async next(): Promise<bigint> {
    return bytesToBigInt(await this.nextBytes(1), 0, this.idSize);
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
    this.#current?.destroy(closedError());
    this.#current = undefined;
    await this.#connecting?.then((connection) => connection.destroy(closedError()), () => {});
  }

  /** One request, with failover: each server at most once. */
  async #request(count: number): Promise<Uint8Array> {
    const tried = new Set<number>();
    const failures: Failures = { messages: [], last: undefined };
    for (;;) {
      const connection = await this.#connectionFor(tried, failures);
      try {
        return await connection.request(count, this.#requestTimeoutMs);
      } catch (error) {
        if (this.#closed) throw closedError();
        if (!this.#isRetryable(error)) throw error;
        tried.add(connection.target.index);
        failures.messages.push(`${connection.target.address}: ${describe(error)}`);
        failures.last = error;
      }
    }
  }

  /** The live connection, or a new one to the first server this request has not tried. */
  async #connectionFor(tried: Set<number>, failures: Failures): Promise<ClientConnection> {
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

  async #connectInOrder(tried: Set<number>, failures: Failures): Promise<ClientConnection> {
    for (const target of this.servers) {
      if (tried.has(target.index)) continue;
      try {
        const connection = await ClientConnection.connect(target, {
          idSize: this.idSize,
          timeoutMs: this.#connectTimeoutMs,
          tls: this.#tls,
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
        failures.messages.push(`${target.address}: ${describe(error)}`);
        failures.last = error;
      }
    }
    throw new FlakeryError('ERR_NO_SERVER_AVAILABLE', `no ID server could answer: ${failures.messages.join('; ')}`, {
      cause: failures.last,
    });
  }

  #isRetryable(error: unknown): boolean {
    const code = (error as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' && this.#retryable.has(code);
  }

  #checkOpen(): void {
    if (this.#closed) throw closedError();
  }
}

/** What went wrong with each server one request tried, for the final error. */
interface Failures {
  readonly messages: string[];
  last: unknown;
}

function closedError(): FlakeryError {
  return new FlakeryError('ERR_CLIENT_CLOSED', 'the client is closed');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}

function serverTarget(entry: ServerEntry, index: number): ServerTarget {
  const option = `servers[${index}]`;
  const address = typeof entry === 'string' ? entry : entry?.address;
  const { host, port } = parseHostPort(option, address);
  const rawToken = typeof entry === 'string' ? undefined : entry.authToken;
  let token: Uint8Array | undefined;
  if (rawToken !== undefined) {
    if (typeof rawToken !== 'string' && !(rawToken instanceof Uint8Array)) {
      throw new InvalidOptionError(`${option}.authToken`, `${option}.authToken must be a string or bytes`);
    }
    token = typeof rawToken === 'string' ? new TextEncoder().encode(rawToken) : rawToken.slice();
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new InvalidOptionError(`${option}.authToken`, `${option}.authToken must be at most ${MAX_TOKEN_LENGTH} bytes; got ${token.length} bytes`);
    }
    if (token.length === 0) token = undefined; // as overt-flake: an empty token means "no auth"
  }
  return { index, address: String(address).trim(), host, port, token };
}

function resolveIdSize(options: ClientOptions): number {
  const fromLayout = options.layout === undefined ? undefined : resolveLayout('layout', options.layout).byteLength;
  if (options.idSize === undefined) return fromLayout ?? 16;
  const idSize = integerOption('idSize', options.idSize, 4, 64);
  if (idSize % 4 !== 0) throw new InvalidOptionError('idSize', `idSize must be a multiple of 4 from 4 to 64; got ${idSize}`);
  if (fromLayout !== undefined && fromLayout !== idSize) {
    const name = typeof options.layout === 'string' ? options.layout : options.layout?.name;
    throw new InvalidOptionError('idSize', `idSize ${idSize} does not match the ${show(name)} layout's ${fromLayout} bytes`);
  }
  return idSize;
}
