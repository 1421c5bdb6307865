import { bytesToBigInt } from './IdBytes.js';
import type { IdFormat } from './IdFormat.js';

/**
 * Writes IDs stored back to back as big-endian bytes (what `Generator.fill` makes) as text
 * straight into a byte buffer, so `flakery gen` and the HTTP API never build a BigInt or a
 * string per ID. The text of each ID is exactly what `formatId` writes (a property test holds
 * them equal), framed by the bytes `before` and `after` it: one per line for the command line,
 * `,"…"` for a JSON array. Uses no Node APIs.
 */
export interface IdTextWriter {
  /** The most bytes one ID can take, framing included: size the output buffer with it. */
  readonly maxTextLength: number;
  /**
   * Writes `count` IDs read from `ids` (each `idSize` bytes, from byte 0), each framed, into
   * `out` from `at`, and returns the index after the last byte written.
   */
  write(ids: Uint8Array, count: number, out: Uint8Array, at: number): number;
}

/** ASCII text written before and after each ID. */
export interface IdFraming {
  readonly before?: string;
  readonly after?: string;
}

/** One ID per line: what `flakery gen` writes. */
export const idLines: IdFraming = { after: '\n' };

interface FramingBytes {
  readonly before: Uint8Array;
  readonly after: Uint8Array;
}

const UUID_LENGTH = 36;
const DASH = 0x2d;
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** A writer of `format` text for IDs of `idSize` bytes; `uuid` needs 16 (the caller checks). */
export function idTextWriter(format: IdFormat, idSize: number, framing: IdFraming = idLines): IdTextWriter {
  const frame = { before: ascii(framing.before ?? ''), after: ascii(framing.after ?? '') };
  const framed = frame.before.length + frame.after.length;
  switch (format) {
    case 'decimal':
      return decimalWriter(idSize, frame, framed);
    case 'hex':
      return { maxTextLength: idSize * 2 + framed, write: (ids, count, out, at) => writeHex(ids, count, idSize, frame, out, at) };
    case 'uuid':
      return { maxTextLength: UUID_LENGTH + framed, write: (ids, count, out, at) => writeUuid(ids, count, frame, out, at) };
  }
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0x7f);
}

/** Copies `bytes` (framing: a few bytes) into `out` at `at`. */
function put(bytes: Uint8Array, out: Uint8Array, at: number): number {
  for (let i = 0; i < bytes.length; i++) out[at++] = bytes[i]!;
  return at;
}

/** Each byte as two lower-case hex digits in a little-endian uint16, to store them at once. */
const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, byte) => HEX_DIGITS[byte >>> 4]! | (HEX_DIGITS[byte & 15]! << 8));

/** Lower-case hex, zero-padded to the full width. */
function writeHex(ids: Uint8Array, count: number, idSize: number, frame: FramingBytes, out: Uint8Array, at: number): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let from = 0, n = 0; n < count; n++) {
    at = put(frame.before, out, at);
    for (let end = from + idSize; from < end; from++, at += 2) view.setUint16(at, HEX_PAIRS[ids[from]!]!, true);
    at = put(frame.after, out, at);
  }
  return at;
}

/** 16 bytes as UUID text: hex in groups of 4, 2, 2, 2 and 6 bytes, with dashes between. */
function writeUuid(ids: Uint8Array, count: number, frame: FramingBytes, out: Uint8Array, at: number): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let from = 0, n = 0; n < count; n++) {
    at = put(frame.before, out, at);
    for (let i = 0; i < 16; i++, from++, at += 2) {
      if (i === 4 || i === 6 || i === 8 || i === 10) out[at++] = DASH;
      view.setUint16(at, HEX_PAIRS[ids[from]!]!, true);
    }
    at = put(frame.after, out, at);
  }
  return at;
}

const CHUNK_BASE = 1e8;
const CHUNK_DIGITS = 8;
/** "0000" to "9999" as four ASCII bytes in a little-endian uint32, to store 4 digits at once. */
const FOUR_DIGITS = Uint32Array.from({ length: 10000 }, (_, n) => {
  const text = String(n).padStart(4, '0');
  return (text.charCodeAt(0) | (text.charCodeAt(1) << 8) | (text.charCodeAt(2) << 16) | (text.charCodeAt(3) << 24)) >>> 0;
});

/** Chunk `j` (8 decimal digits, least significant first) of 2^bits. */
function powerChunk(bits: number, j: number): number {
  return Number(((1n << BigInt(bits)) / 10n ** BigInt(CHUNK_DIGITS * j)) % BigInt(CHUNK_BASE));
}

// The chunks of 2^16k that are not 0, named P<16k>_<j>. 2^0 is 1 and 2^16 is 65536.
const P32_0 = powerChunk(32, 0), P32_1 = powerChunk(32, 1);
const P48_0 = powerChunk(48, 0), P48_1 = powerChunk(48, 1);
const P64_0 = powerChunk(64, 0), P64_1 = powerChunk(64, 1), P64_2 = powerChunk(64, 2);
const P80_0 = powerChunk(80, 0), P80_1 = powerChunk(80, 1), P80_2 = powerChunk(80, 2), P80_3 = powerChunk(80, 3);
const P96_0 = powerChunk(96, 0), P96_1 = powerChunk(96, 1), P96_2 = powerChunk(96, 2), P96_3 = powerChunk(96, 3);
const P112_0 = powerChunk(112, 0), P112_1 = powerChunk(112, 1), P112_2 = powerChunk(112, 2), P112_3 = powerChunk(112, 3);
const P112_4 = powerChunk(112, 4);

/**
 * Decimal for 8- and 16-byte IDs, in chunks of 8 digits (base 10^8), without a division per
 * bit or limb: the ID is a sum of 16-bit limbs l_k times 2^16k, whose chunks are the
 * constants above, so each chunk of the ID is a short sum of products, and one carry pass
 * divides by 10^8 once per chunk. Exact in doubles: every product is below 2^16 · 10^8 and
 * every sum of at most eight of them, plus a carry, below 2^53. Written out for the two
 * widths, with plain locals, because that is several times faster than loops over arrays.
 * Other widths (custom layouts) fall back to BigInt.
 */
function decimalWriter(idSize: number, frame: FramingBytes, framed: number): IdTextWriter {
  const maxTextLength = Math.ceil(idSize * 8 * Math.log10(2)) + framed;
  if (idSize === 8) return { maxTextLength, write: (ids, count, out, at) => writeDecimal64(ids, count, frame, out, at) };
  if (idSize === 16) return { maxTextLength, write: (ids, count, out, at) => writeDecimal128(ids, count, frame, out, at) };
  return { maxTextLength, write: (ids, count, out, at) => writeDecimalBigInt(ids, count, idSize, frame, out, at) };
}

function writeDecimal64(ids: Uint8Array, count: number, frame: FramingBytes, out: Uint8Array, at: number): number {
  const input = new DataView(ids.buffer, ids.byteOffset, ids.byteLength);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let n = 0, from = 0; n < count; n++, from += 8) {
    at = put(frame.before, out, at);
    const hi = input.getUint32(from);
    const lo = input.getUint32(from + 4);
    const l0 = lo & 0xffff, l1 = lo >>> 16, l2 = hi & 0xffff, l3 = hi >>> 16;
    let c0 = l0 + l1 * 65536 + l2 * P32_0 + l3 * P48_0;
    let c1 = l2 * P32_1 + l3 * P48_1;
    let carry = Math.floor(c0 / CHUNK_BASE);
    c0 -= carry * CHUNK_BASE;
    c1 += carry;
    const c2 = Math.floor(c1 / CHUNK_BASE);
    c1 -= c2 * CHUNK_BASE;
    at = writeChunks(out, view, at, 0, 0, c2, c1, c0);
    at = put(frame.after, out, at);
  }
  return at;
}

function writeDecimal128(ids: Uint8Array, count: number, frame: FramingBytes, out: Uint8Array, at: number): number {
  const input = new DataView(ids.buffer, ids.byteOffset, ids.byteLength);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let n = 0, from = 0; n < count; n++, from += 16) {
    at = put(frame.before, out, at);
    const w0 = input.getUint32(from), w1 = input.getUint32(from + 4);
    const w2 = input.getUint32(from + 8), w3 = input.getUint32(from + 12);
    const l0 = w3 & 0xffff, l1 = w3 >>> 16, l2 = w2 & 0xffff, l3 = w2 >>> 16;
    const l4 = w1 & 0xffff, l5 = w1 >>> 16, l6 = w0 & 0xffff, l7 = w0 >>> 16;
    let c0 = l0 + l1 * 65536 + l2 * P32_0 + l3 * P48_0 + l4 * P64_0 + l5 * P80_0 + l6 * P96_0 + l7 * P112_0;
    let c1 = l2 * P32_1 + l3 * P48_1 + l4 * P64_1 + l5 * P80_1 + l6 * P96_1 + l7 * P112_1;
    let c2 = l4 * P64_2 + l5 * P80_2 + l6 * P96_2 + l7 * P112_2;
    let c3 = l5 * P80_3 + l6 * P96_3 + l7 * P112_3;
    let c4 = l7 * P112_4;
    let carry = Math.floor(c0 / CHUNK_BASE);
    c0 -= carry * CHUNK_BASE;
    c1 += carry;
    carry = Math.floor(c1 / CHUNK_BASE);
    c1 -= carry * CHUNK_BASE;
    c2 += carry;
    carry = Math.floor(c2 / CHUNK_BASE);
    c2 -= carry * CHUNK_BASE;
    c3 += carry;
    carry = Math.floor(c3 / CHUNK_BASE);
    c3 -= carry * CHUNK_BASE;
    c4 += carry; // below 10^7: 2^128 has 39 digits
    at = writeChunks(out, view, at, c4, c3, c2, c1, c0);
    at = put(frame.after, out, at);
  }
  return at;
}

function writeDecimalBigInt(ids: Uint8Array, count: number, idSize: number, frame: FramingBytes, out: Uint8Array, at: number): number {
  for (let n = 0; n < count; n++) {
    at = put(frame.before, out, at);
    const text = bytesToBigInt(ids, n * idSize, idSize).toString();
    for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
    at = put(frame.after, out, at);
  }
  return at;
}

/**
 * The chunks c4 … c0 (most significant first) in decimal: zero chunks in front are skipped,
 * the first one written has no leading zeros, every later one has all 8 digits; 0 is "0".
 */
function writeChunks(out: Uint8Array, view: DataView, start: number, c4: number, c3: number, c2: number, c1: number, c0: number): number {
  let at = nextChunk(c4, out, view, start, start);
  at = nextChunk(c3, out, view, at, start);
  at = nextChunk(c2, out, view, at, start);
  at = nextChunk(c1, out, view, at, start);
  return at > start ? writeChunk(c0, view, at) : writeLeadingChunk(c0, out, at);
}

/** One chunk of a number that starts at `start`: nothing while it is 0 and nothing came before. */
function nextChunk(chunk: number, out: Uint8Array, view: DataView, at: number, start: number): number {
  if (at > start) return writeChunk(chunk, view, at);
  return chunk > 0 ? writeLeadingChunk(chunk, out, at) : at;
}

/** `chunk` (< 10^8) as exactly 8 digits. */
function writeChunk(chunk: number, view: DataView, at: number): number {
  const high = Math.floor(chunk / 10000);
  view.setUint32(at, FOUR_DIGITS[high]!, true);
  view.setUint32(at + 4, FOUR_DIGITS[chunk - high * 10000]!, true);
  return at + CHUNK_DIGITS;
}

/** `value` (< 10^8) without leading zeros; "0" for 0. */
function writeLeadingChunk(value: number, out: Uint8Array, at: number): number {
  let digits = 1;
  for (let limit = 10; value >= limit && digits < CHUNK_DIGITS; limit *= 10) digits++;
  for (let i = at + digits - 1, rest = value; i >= at; i--) {
    const quotient = Math.floor(rest / 10);
    out[i] = 0x30 + rest - quotient * 10;
    rest = quotient;
  }
  return at + digits;
}
