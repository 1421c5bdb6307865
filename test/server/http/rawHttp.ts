import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** One HTTP/1.1 response as it came over the wire. */
export interface RawResponse {
  readonly statusLine: string;
  readonly status: number;
  /** In the order sent, names as sent. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

/** A header's value (names compared case-insensitively); fails when it appears more than once. */
export function header(response: RawResponse, name: string): string | undefined {
  const values = response.headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
  assert.ok(values.length <= 1, `${name} appears ${values.length} times`);
  return values[0];
}

/**
 * Cuts the complete responses off the front of `text`: bodies of Content-Length or chunked (no
 * trailers); `isHead(i)`: response i answers a HEAD, so it has no body whatever its headers say.
 */
export function parseResponses(text: string, isHead: (index: number) => boolean = () => false): { responses: RawResponse[]; rest: string } {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = text.indexOf('\r\n\r\n', at);
    if (headEnd < 0) break;
    const [statusLine = '', ...lines] = text.slice(at, headEnd).split('\r\n');
    const match = /^HTTP\/1\.1 (\d{3}) [A-Za-z ]+$/.exec(statusLine);
    assert.ok(match, `not a status line: ${JSON.stringify(statusLine)}`);
    const headers = lines.map((line): [string, string] => {
      const colon = line.indexOf(':');
      assert.ok(colon > 0, `not a header line: ${JSON.stringify(line)}`);
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    const response = { statusLine, status: Number(match[1]), headers, body: '' };
    const bodyStart = headEnd + 4;
    if (header(response, 'transfer-encoding') === 'chunked' && !isHead(responses.length)) {
      const chunked = readChunked(text, bodyStart);
      if (chunked === undefined) break;
      responses.push({ ...response, body: chunked.body });
      at = chunked.end;
      continue;
    }
    const length = isHead(responses.length) ? 0 : Number(header(response, 'content-length') ?? NaN);
    assert.ok(Number.isSafeInteger(length), `no Content-Length in ${statusLine}`);
    if (text.length < bodyStart + length) break;
    responses.push({ ...response, body: text.slice(bodyStart, bodyStart + length) });
    at = bodyStart + length;
  }
  return { responses, rest: text.slice(at) };
}

/** A chunked body from `at` (no trailers): the body and where it ends; `undefined` while incomplete. */
function readChunked(text: string, at: number): { body: string; end: number } | undefined {
  let body = '';
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    assert.ok(Number.isSafeInteger(size), `not a chunk size: ${JSON.stringify(text.slice(at, lineEnd))}`);
    const dataEnd = lineEnd + 2 + size;
    if (text.length < dataEnd + 2) return undefined;
    assert.equal(text.slice(dataEnd, dataEnd + 2), '\r\n');
    if (size === 0) return { body, end: dataEnd + 2 };
    body += text.slice(lineEnd + 2, dataEnd);
    at = dataEnd + 2;
  }
}

/**
 * A TCP connection that writes whatever it is told and reads HTTP responses back, so a test can
 * pipeline, split heads across writes and send what no HTTP client would.
 */
export class RawHttpConnection {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  #text = '';
  #isClosed = false;
  #waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#text += chunk.toString('latin1');
      this.#wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#isClosed = true;
        this.#wake();
        resolve();
      }),
    );
  }

  static connect(port: number): Promise<RawHttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawHttpConnection(socket));
      });
    });
  }

  /** Over TLS, trusting `ca`. */
  static connectTls(port: number, ca: Buffer): Promise<RawHttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connectTls({ host: '127.0.0.1', port, ca, servername: 'localhost' });
      socket.once('error', reject);
      socket.once('secureConnect', () => {
        socket.off('error', reject);
        resolve(new RawHttpConnection(socket));
      });
    });
  }

  /** Writes `text` and resolves once the kernel has it, so the next write is a separate segment. */
  write(text: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(text, (error) => (error ? reject(error) : resolve())));
  }

  /** Waits for `n` complete responses (more than asked for is a failure); `isHead` as for parseResponses. */
  async responses(n: number, isHead?: (index: number) => boolean): Promise<RawResponse[]> {
    for (;;) {
      const { responses, rest } = parseResponses(this.#text, isHead);
      if (responses.length >= n) {
        assert.equal(responses.length, n, 'more responses than requests');
        assert.equal(rest, '', 'bytes after the last response');
        this.#text = '';
        return responses;
      }
      assert.ok(!this.#isClosed, `the connection closed after ${responses.length} of ${n} responses: ${JSON.stringify(this.#text.slice(0, 300))}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Everything not yet taken by responses(), once the server has closed the connection. */
  async untilClosed(): Promise<string> {
    await this.closed;
    return this.#text;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** A request head as a client would write it; `Host: t` unless headers give one. */
export function requestText(target: string, headers: readonly string[] = [], requestLine = `GET ${target} HTTP/1.1`): string {
  const lines = headers.some((line) => /^host:/i.test(line)) ? headers : ['Host: t', ...headers];
  return `${[requestLine, ...lines].join('\r\n')}\r\n\r\n`;
}

/** The IDs of a `GET /v1/ids` answer, JSON or text/plain. */
export function idsOfBody(body: string): bigint[] {
  if (body.startsWith('{')) return (JSON.parse(body) as { ids: string[] }).ids.map(BigInt);
  return body.split('\n').filter((line) => line !== '').map(BigInt);
}
