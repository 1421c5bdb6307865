import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A bare TCP client for protocol tests: it writes whatever bytes it is told and keeps every byte
 * it receives, so a test can say exactly what went over the wire (and that nothing did).
 */
export class RawClient {
  readonly socket: Socket;
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  received = 0;
  readonly closed: Promise<void>;
  #waiters: (() => void)[] = [];
  #isClosed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      this.received += chunk.length;
      this.#wake();
    });
    socket.on('error', () => {}); // a reset is an expected way for the server to close
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#isClosed = true;
        this.#wake();
        resolve();
      }),
    );
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
    });
  }

  write(bytes: Uint8Array | number[]): void {
    this.socket.write(Uint8Array.from(bytes));
  }

  /** The next `n` bytes received; fails if the connection closes first. */
  async read(n: number): Promise<Buffer> {
    while (this.#buffered < n) {
      assert.ok(!this.#isClosed, `connection closed after ${this.#buffered} of ${n} expected bytes`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    const all = Buffer.concat(this.#chunks);
    this.#chunks.length = 0;
    this.#chunks.push(all.subarray(n));
    this.#buffered -= n;
    return all.subarray(0, n);
  }

  /** Waits until the server closes the connection; returns every byte received meanwhile. */
  async readUntilClose(): Promise<Buffer> {
    await this.closed;
    const all = Buffer.concat(this.#chunks);
    this.#chunks.length = 0;
    this.#buffered = 0;
    return all;
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

/** A count frame: 4 bytes, big-endian. */
export function countFrame(count: number): number[] {
  return [count >>> 24, (count >>> 16) & 0xff, (count >>> 8) & 0xff, count & 0xff];
}

/** An auth frame for an ASCII token. */
export function authFrame(token: string): number[] {
  const bytes = [...Buffer.from(token, 'utf8')];
  return [0xff, 0xff, 0xff, bytes.length, ...bytes];
}

/** The IDs in `bytes` as unsigned integers. */
export function idsOf(bytes: Uint8Array, size: number): bigint[] {
  const ids: bigint[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    let value = 0n;
    for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(bytes[at + i]!);
    ids.push(value);
  }
  return ids;
}

export function assertStrictlyIncreasing(ids: readonly bigint[]): void {
  for (let i = 1; i < ids.length; i++) {
    if (!(ids[i]! > ids[i - 1]!)) assert.fail(`ID ${i} (${ids[i]}) is not above ID ${i - 1} (${ids[i - 1]})`);
  }
}

/** Turns the event loop until `condition` holds; bounded, so a bug fails instead of hanging. */
export async function turnsUntil(condition: () => boolean, maxTurns = 1_000_000): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    assert.ok(turn < maxTurns, 'condition never held');
    await nextTurn();
  }
}

/** The IDs in `bytes` increase strictly, compared as unsigned big-endian byte strings (fast for millions). */
export function assertBytesIncreasing(bytes: Uint8Array, size: number): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = size; at < buffer.length; at += size) {
    if (Buffer.compare(buffer.subarray(at - size, at), buffer.subarray(at, at + size)) >= 0) {
      assert.fail(`ID ${at / size} is not above ID ${at / size - 1}`);
    }
  }
}
