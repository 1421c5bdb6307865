import fc from 'fast-check';
import { MAX_WIRE_COUNT } from '../../src/protocol/constants.js';

/**
 * Hostile inputs for the TCP server: a well-formed conversation (auth header when the server
 * wants one, then pipelined counts), then mutations of it, then the bytes cut into pieces that
 * go out in separate TCP writes. Starting from valid frames matters: random bytes alone almost
 * never get past the first frame, so the interesting states (mid-answer, after auth, between
 * pipelined requests) would go untested.
 */

/** What the fuzzer needs to know about the server under test. */
export interface FuzzServerShape {
  readonly token: Uint8Array | undefined;
  readonly maxCount: number;
}

/** One change to the conversation; positions are taken modulo the current length. */
export type Mutation =
  | { readonly kind: 'bitFlip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'garbage'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'insertFrame'; readonly at: number; readonly frame: Uint8Array; readonly what: string }
  | { readonly kind: 'dropFrame'; readonly at: number };

/** How the client behaves after (or instead of) sending everything. */
export type Ending =
  /** Half-close after the last piece: the server must answer what it accepted, then close. */
  | { readonly kind: 'end' }
  /** Reset the connection after this many pieces (modulo their number): the server must just clean up. */
  | { readonly kind: 'destroy'; readonly afterPieces: number };

export interface FuzzCase {
  /** The frames before byte-level mutations; a mutation may insert or drop whole frames. */
  readonly frames: readonly Uint8Array[];
  readonly mutations: readonly Mutation[];
  /** Where the bytes are cut into writes (taken modulo length + 1). */
  readonly cuts: readonly number[];
  /** After each piece: one event-loop turn, or a 1 ms timer (so pieces become separate segments). */
  readonly pauses: readonly ('turn' | 'timer')[];
  readonly ending: Ending;
  /** IDs a well-behaved client asks for at the same time on its own connection; 0 for none. */
  readonly companion: number;
}

export function countFrame(count: number): Uint8Array {
  return Uint8Array.of(count >>> 24, (count >>> 16) & 0xff, (count >>> 8) & 0xff, count & 0xff);
}

export function authFrame(token: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + token.length);
  frame.set([0xff, 0xff, 0xff, token.length]);
  frame.set(token, 4);
  return frame;
}

/** Counts a well-behaved client would send: mostly small, sometimes up to the server's maximum. */
function countArb(maxCount: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: Math.min(16, maxCount) }) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: Math.min(1000, maxCount) }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: maxCount }) },
    { weight: 1, arbitrary: fc.integer({ min: Math.max(1, maxCount - 2), max: maxCount }) },
  );
}

/** Tokens that are almost right: one byte changed, one byte short, one byte long, empty. */
function nearMissTokenArb(token: Uint8Array): fc.Arbitrary<Uint8Array> {
  const variants: fc.Arbitrary<Uint8Array>[] = [
    fc.nat().map((i) => {
      const copy = token.slice();
      const at = i % copy.length;
      copy[at] = copy[at]! ^ 0x01;
      return copy;
    }),
    fc.constant(token.slice(0, -1)),
    fc.integer({ min: 0, max: 255 }).map((byte) => Uint8Array.from([...token, byte])),
    fc.constant(new Uint8Array(0)),
  ];
  return fc.oneof(...variants);
}

/** Whole frames a mutation can insert: each breaks some rule (or, for a token server, repeats the right auth). */
function hostileFrameArb(shape: FuzzServerShape): fc.Arbitrary<{ frame: Uint8Array; what: string }> {
  const options: fc.Arbitrary<{ frame: Uint8Array; what: string }>[] = [
    fc.constant({ frame: countFrame(0), what: 'zero count' }),
    fc
      .integer({ min: Math.min(shape.maxCount + 1, MAX_WIRE_COUNT), max: MAX_WIRE_COUNT })
      .map((count) => ({ frame: countFrame(count), what: `huge count ${count}` })),
    fc
      .constantFrom(MAX_WIRE_COUNT, shape.maxCount + 1, 0x7fffffff, 0x80000000)
      .map((count) => ({ frame: countFrame(Math.min(count, MAX_WIRE_COUNT)), what: `edge count ${count}` })),
    fc.uint8Array({ maxLength: 64 }).map((token) => ({ frame: authFrame(token), what: 'extra auth header' })),
    // An auth header whose length promises more token bytes than will ever come.
    fc.integer({ min: 1, max: 255 }).map((n) => ({ frame: Uint8Array.of(0xff, 0xff, 0xff, n), what: `bare auth header (${n})` })),
  ];
  if (shape.token !== undefined) {
    const token = shape.token;
    options.push(
      fc.constant({ frame: authFrame(token), what: 'right auth header again' }),
      nearMissTokenArb(token).map((t) => ({ frame: authFrame(t), what: 'near-miss token' })),
    );
  }
  return fc.oneof(...options);
}

function mutationArb(shape: FuzzServerShape): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.record({ kind: fc.constant('bitFlip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }) }),
    fc.record({ kind: fc.constant('dropFrame' as const), at: fc.nat() }),
    fc
      .tuple(fc.nat(), hostileFrameArb(shape))
      .map(([at, { frame, what }]): Mutation => ({ kind: 'insertFrame', at, frame, what })),
  );
}

/** The conversation a correct client would have with a server of this shape. */
function validFramesArb(shape: FuzzServerShape): fc.Arbitrary<Uint8Array[]> {
  const auth: fc.Arbitrary<Uint8Array[]> =
    shape.token !== undefined
      ? fc.constant([authFrame(shape.token)])
      : fc.oneof(
          { weight: 3, arbitrary: fc.constant<Uint8Array[]>([]) },
          // A token-less server accepts and ignores one auth header first.
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 32 }).map((t) => [authFrame(t)]) },
        );
  const counts = fc.array(countArb(shape.maxCount).map(countFrame), { minLength: 0, maxLength: 8 });
  return fc.tuple(auth, counts).map(([a, c]) => [...a, ...c]);
}

/** A fuzz case for a server of this shape; about a third are left valid, to test the happy path under splits. */
export function fuzzCaseArb(shape: FuzzServerShape): fc.Arbitrary<FuzzCase> {
  return fc.record({
    frames: validFramesArb(shape),
    mutations: fc.oneof(
      { weight: 1, arbitrary: fc.constant<Mutation[]>([]) },
      { weight: 2, arbitrary: fc.array(mutationArb(shape), { minLength: 1, maxLength: 4 }) },
    ),
    cuts: fc.array(fc.nat(), { maxLength: 12 }),
    pauses: fc.array(fc.constantFrom('turn' as const, 'timer' as const), { minLength: 1, maxLength: 13 }),
    ending: fc.oneof(
      { weight: 4, arbitrary: fc.constant<Ending>({ kind: 'end' }) },
      { weight: 1, arbitrary: fc.nat().map((afterPieces): Ending => ({ kind: 'destroy', afterPieces })) },
    ),
    companion: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }) }),
  });
}

/** The bytes a case sends: frame-level mutations first, then the byte-level ones, in order. */
export function caseBytes(c: FuzzCase): Uint8Array {
  const frames = [...c.frames];
  const byteMutations: Mutation[] = [];
  for (const mutation of c.mutations) {
    if (mutation.kind === 'insertFrame') frames.splice(mutation.at % (frames.length + 1), 0, mutation.frame);
    else if (mutation.kind === 'dropFrame') {
      if (frames.length > 0) frames.splice(mutation.at % frames.length, 1);
    } else byteMutations.push(mutation);
  }
  let bytes = concat(frames);
  for (const mutation of byteMutations) {
    if (mutation.kind === 'bitFlip') {
      if (bytes.length === 0) continue;
      bytes = bytes.slice();
      const at = mutation.at % bytes.length;
      bytes[at] = bytes[at]! ^ (1 << mutation.bit);
    } else if (mutation.kind === 'truncate') {
      bytes = bytes.slice(0, mutation.at % (bytes.length + 1));
    } else if (mutation.kind === 'garbage') {
      const at = mutation.at % (bytes.length + 1);
      bytes = concat([bytes.subarray(0, at), mutation.bytes, bytes.subarray(at)]);
    }
  }
  return bytes;
}

/** Cuts `bytes` at the case's cut points into the pieces written one by one. */
export function casePieces(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) pieces.push(bytes.subarray(start, point));
    start = point;
  }
  return pieces;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
