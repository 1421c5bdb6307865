import { InvalidOptionError } from '../errors.js';
import { AUTH_HEADER_MASK, FRAME_SIZE, MAX_TOKEN_LENGTH, MAX_WIRE_COUNT } from './constants.js';

/**
 * Client-side frame writers. They validate eagerly because a bad frame is never a recoverable
 * error on the wire: the server just closes the connection, and the client would only learn
 * "connection lost". Failing here names the actual mistake.
 */

/**
 * `FF FF FF nn` and the nn token bytes, as overt-flake's client sends them. An empty token is a
 * valid frame (`FF FF FF 00`), though overt-flake's client sends no auth header at all then.
 * @throws InvalidOptionError (`token`) when the token is longer than 255 bytes.
 */
export function encodeAuth(token: Uint8Array): Uint8Array {
  checkToken(token);
  const frame = new Uint8Array(FRAME_SIZE + token.length);
  writeUint32(frame, 0, (AUTH_HEADER_MASK | token.length) >>> 0);
  frame.set(token, FRAME_SIZE);
  return frame;
}

/**
 * A request for `count` IDs: the count as a 4-byte big-endian unsigned integer.
 * @throws InvalidOptionError (`count`) unless `count` is an integer in 1..0xFFFFFEFF.
 */
export function encodeCount(count: number): Uint8Array {
  checkCount(count);
  const frame = new Uint8Array(FRAME_SIZE);
  writeUint32(frame, 0, count);
  return frame;
}

/**
 * Several pipelined requests in one buffer (one write, one TCP packet when small), preceded by an
 * auth frame when `token` is given. The server answers them in order.
 * @throws InvalidOptionError as {@link encodeAuth} and {@link encodeCount} do; nothing is
 *   encoded unless every input is valid.
 */
export function encodeRequests(counts: readonly number[], token?: Uint8Array): Uint8Array {
  if (token !== undefined) checkToken(token);
  for (const count of counts) checkCount(count);
  const authSize = token === undefined ? 0 : FRAME_SIZE + token.length;
  const bytes = new Uint8Array(authSize + counts.length * FRAME_SIZE);
  if (token !== undefined) {
    writeUint32(bytes, 0, (AUTH_HEADER_MASK | token.length) >>> 0);
    bytes.set(token, FRAME_SIZE);
  }
  counts.forEach((count, i) => writeUint32(bytes, authSize + i * FRAME_SIZE, count));
  return bytes;
}

function checkToken(token: Uint8Array): void {
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new InvalidOptionError(
      'token',
      `token must be at most ${MAX_TOKEN_LENGTH} bytes, got ${token.length} bytes`,
    );
  }
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_WIRE_COUNT) {
    throw new InvalidOptionError(
      'count',
      `count must be an integer from 1 to ${MAX_WIRE_COUNT} (0xFFFFFEFF), got ${String(count)}`,
    );
  }
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}
