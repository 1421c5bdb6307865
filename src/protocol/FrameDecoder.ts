import { FlakeryError } from '../errors.js';
import { AUTH_HEADER_MASK, FRAME_SIZE } from './constants.js';
import type { Frame } from './Frame.js';

/**
 * Turns the client's byte stream into {@link Frame}s, however TCP splits it: a frame may arrive
 * one byte at a time, and one chunk may hold hundreds of pipelined frames.
 *
 * Usage is push, then pull:
 * ```ts
 * socket.on('data', (chunk) => { decoder.push(chunk); pump(); });
 * function pump() {
 *   for (let frame = decoder.next(); frame; frame = decoder.next()) {
 *     // act on frame; to stop (backpressure), pause the socket and return: the rest stays queued
 *   }
 * }
 * socket.on('end', () => decoder.end()); // throws ERR_BAD_FRAME if the stream stopped mid-frame
 * ```
 *
 * Why pull: the server answers one count at a time and may have to wait for the socket to drain
 * before it reads the next frame. `next()` lets it stop between any two frames without the decoder
 * having decoded (and allocated) the rest of the chunk.
 *
 * Memory: pushed chunks are kept by reference, never copied, until `next()` has read them; the
 * caller bounds how much it pushes (by pausing its socket). The decoder copies only the bytes of a
 * frame that straddles chunks: at most 4 + 255 bytes (MAX_PARTIAL_FRAME). Do not modify a
 * chunk after pushing it until `next()` has returned `undefined`.
 */
export class FrameDecoder {
  /** Pushed chunks not yet fully read; the first is read from `#offset`. Views, not copies. */
  readonly #chunks: Uint8Array[] = [];
  #offset = 0;
  #pending = 0;
  /** Header bytes of a frame whose 4-byte header straddles chunks. */
  readonly #header = new Uint8Array(FRAME_SIZE);
  #headerFilled = 0;
  /** Set once an auth header with a non-empty token is read, until its last token byte is. */
  #token: Uint8Array | undefined;
  #tokenFilled = 0;

  /** Queues `chunk` for decoding. Empty chunks are ignored. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#pending += chunk.length;
  }

  /** Decodes and returns the next complete frame, or `undefined` when the queued bytes end first. */
  next(): Frame | undefined {
    for (;;) {
      const chunk = this.#chunks[0];
      if (chunk === undefined) return undefined;
      const offset = this.#offset;
      const available = chunk.length - offset;

      if (this.#token !== undefined) {
        const token = this.#token;
        const take = Math.min(token.length - this.#tokenFilled, available);
        token.set(chunk.subarray(offset, offset + take), this.#tokenFilled);
        this.#tokenFilled += take;
        this.#consume(take);
        if (this.#tokenFilled < token.length) continue;
        this.#token = undefined;
        this.#tokenFilled = 0;
        return { kind: 'auth', token };
      }

      let value: number;
      if (this.#headerFilled === 0 && available >= FRAME_SIZE) {
        // Fast path: the whole header is in this chunk (the common case); read it in place.
        value = readUint32(chunk, offset);
        this.#consume(FRAME_SIZE);
      } else {
        const take = Math.min(FRAME_SIZE - this.#headerFilled, available);
        this.#header.set(chunk.subarray(offset, offset + take), this.#headerFilled);
        this.#headerFilled += take;
        this.#consume(take);
        if (this.#headerFilled < FRAME_SIZE) continue;
        this.#headerFilled = 0;
        value = readUint32(this.#header, 0);
      }

      // `value` is unsigned, so `>=` is the same test as `(value & MASK) === MASK` without the
      // sign trouble of JavaScript's 32-bit bitwise operators.
      if (value < AUTH_HEADER_MASK) return { kind: 'count', count: value };
      const tokenLength = value & 0xff;
      if (tokenLength === 0) return { kind: 'auth', token: new Uint8Array(0) };
      this.#token = new Uint8Array(tokenLength);
    }
  }

  /** Pushes `chunk` and returns every frame now complete: for callers that never need to stop. */
  decode(chunk: Uint8Array): Frame[] {
    this.push(chunk);
    const frames: Frame[] = [];
    for (let frame = this.next(); frame !== undefined; frame = this.next()) frames.push(frame);
    return frames;
  }

  /**
   * Declares the end of the input (the peer closed). Frames still queued are read and dropped —
   * nobody is left to answer them. Throws ERR_BAD_FRAME if the input stopped inside a frame; the
   * message gives lengths only, never token bytes. The decoder is empty afterwards.
   */
  end(): void {
    while (this.next() !== undefined) {
      // dropped
    }
    const received = this.bufferedBytes;
    const expected = this.#token === undefined ? FRAME_SIZE : FRAME_SIZE + this.#token.length;
    this.#headerFilled = 0;
    this.#token = undefined;
    this.#tokenFilled = 0;
    if (received > 0) {
      throw new FlakeryError(
        'ERR_BAD_FRAME',
        `truncated frame: input ended after ${received} of the frame's ${expected} bytes`,
      );
    }
  }

  /** True when some bytes of a frame have been read but not the whole frame. */
  get hasPartialFrame(): boolean {
    return this.bufferedBytes > 0;
  }

  /** Bytes of the incomplete frame read so far (header and token): at most 4 + 255. */
  get bufferedBytes(): number {
    return this.#token === undefined ? this.#headerFilled : FRAME_SIZE + this.#tokenFilled;
  }

  /** Bytes pushed but not yet read by `next()` (held by reference, not copied). */
  get pendingBytes(): number {
    return this.#pending;
  }

  #consume(count: number): void {
    this.#offset += count;
    this.#pending -= count;
    const chunk = this.#chunks[0];
    if (chunk !== undefined && this.#offset >= chunk.length) {
      this.#chunks.shift();
      this.#offset = 0;
    }
  }
}

/** Big-endian unsigned 32-bit read; the caller guarantees 4 bytes at `offset`. */
function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0
  );
}
