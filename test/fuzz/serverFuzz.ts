import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { createGenerator } from '../../src/index.js';
import type { LayoutName } from '../../src/layouts/registry.js';
import { TcpIdServer } from '../../src/server/TcpIdServer.js';
import type { RequestOutcome, ServerObserver } from '../../src/server/ServerObserver.js';
import { type FuzzCase, authFrame, caseBytes, casePieces, countFrame, fuzzCaseArb } from './fuzzCases.js';
import { modelServer } from './protocolModel.js';

/**
 * The server fuzzer shared by the bounded test (test/server/fuzzServer.test.ts) and the long run
 * (`npm run fuzz`): a real TcpIdServer on 127.0.0.1, hostile conversations from fuzzCases.ts
 * sent over real sockets, and after each case the checks that matter to users:
 * - no ID byte ever reaches a connection that did not present the right token first;
 * - what a connection receives is exactly what the protocol model says it must (the answers
 *   to the counts accepted before the close, count × idSize bytes each), never a byte more;
 * - the IDs increase, within the connection and across everything received before the case;
 * - the server closes every connection it should, keeps no connection behind, and a fresh
 *   well-behaved client still gets IDs.
 */

export interface FuzzTarget {
  readonly name: string;
  readonly server: TcpIdServer;
  readonly port: number;
  readonly token: Uint8Array | undefined;
  readonly maxCount: number;
  readonly idSize: number;
  readonly observer: FuzzObserver;
  /** The largest ID received from this server so far: every later ID must sort above it. */
  lastId: Buffer | undefined;
  close(): Promise<void>;
}

/** Totals over the cases run, for the long run's report. */
export interface FuzzStats {
  cases: number;
  /** Cases whose bytes made the server close the connection (a refusal). */
  refused: number;
  /** IDs received, by fuzzed connections, their companions and the probes. */
  ids: number;
}

export function newStats(): FuzzStats {
  return { cases: 0, refused: 0, ids: 0 };
}

/** Small so that "huge" counts are cheap to find, large enough that answers span many TCP segments. */
export const FUZZ_MAX_COUNT = 20_000;
/** A case that takes longer than this has hung: a failure, not a slow machine. */
const HANG_MS = 10_000;

export async function startFuzzTarget(options: { layout: LayoutName; token?: string }): Promise<FuzzTarget> {
  const observer = new FuzzObserver();
  const token = options.token === undefined ? undefined : new TextEncoder().encode(options.token);
  const generator = createGenerator(
    options.layout === 'snowflake' ? { layout: 'snowflake', machineId: 1 } : { layout: options.layout, hardwareId: '0242ac110002' },
  );
  const server = new TcpIdServer({ service: generator, authToken: token, maxCount: FUZZ_MAX_COUNT, authTimeoutMs: 5_000, observer });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  return {
    name: `${options.layout}${token ? ', with token' : ', no token'}`,
    server,
    port,
    token,
    maxCount: FUZZ_MAX_COUNT,
    idSize: generator.idSize,
    observer,
    lastId: undefined,
    close: () => server.close({ timeoutMs: 1_000 }),
  };
}

/** A fast-check property over fuzz cases for this target; each run is one case. */
export function serverProperty(target: FuzzTarget, stats: FuzzStats) {
  return fc.asyncProperty(fuzzCaseArb(target), (c) => runCase(target, c, stats));
}

/** Sends one case, checks what came back, then checks the server is clean and still serving. */
export async function runCase(target: FuzzTarget, c: FuzzCase, stats: FuzzStats): Promise<void> {
  const bytes = caseBytes(c);
  const model = modelServer(bytes, target.token, target.maxCount);
  const before = target.lastId;
  target.observer.refusals.length = 0;

  const companion = c.companion > 0 ? wellBehaved(target, c.companion) : undefined;
  const received = await withDeadline(sendCase(target.port, bytes, c), 'the fuzzed connection never closed', target);
  const companionIds = companion ? await withDeadline(companion, 'the companion client got no answer', target) : undefined;

  const size = target.idSize;
  const expectedBytes = model.served.reduce((sum, n) => sum + n, 0) * size;
  if (!model.authenticated) {
    assert.equal(received.length, 0, `${received.length} bytes went to a connection that never presented the token`);
  }
  assert.ok(received.length <= expectedBytes, `received ${received.length} bytes, but only ${expectedBytes} were asked for validly`);
  if (c.ending.kind === 'end') {
    // The client waited for the close: it must have every answer to what was accepted.
    assert.equal(received.length, expectedBytes, `answers for ${JSON.stringify(model.served)} then ${model.end}`);
  }
  const whole = received.subarray(0, received.length - (received.length % size));
  assertIncreasingAfter(whole, size, before, 'fuzzed connection');
  if (companionIds !== undefined) {
    assert.equal(companionIds.length, c.companion * size, 'the companion got a short answer');
    assertIncreasingAfter(companionIds, size, before, 'companion');
    assertDisjoint(whole, companionIds, size);
  }
  target.lastId = maxOf(before, lastIdOf(whole, size), companionIds && lastIdOf(companionIds, size));

  // Every connection closes on the server too (none left behind, no buffers held).
  await withDeadline(target.observer.until(() => target.server.connectionCount === 0), 'a connection stayed open on the server', target);
  if (c.ending.kind === 'end') {
    // The server reported exactly the refusal the model predicts, and nothing else went wrong.
    assert.deepEqual(target.observer.refusals, model.end === 'clean' ? [] : [model.end]);
  }

  const probe = await withDeadline(wellBehaved(target, 3), 'a fresh client got no IDs after the case', target);
  assert.equal(probe.length, 3 * size);
  assertIncreasingAfter(probe, size, target.lastId, 'probe');
  target.lastId = lastIdOf(probe, size);
  await withDeadline(target.observer.until(() => target.server.connectionCount === 0), 'the probe stayed open', target);

  stats.cases += 1;
  if (model.end !== 'clean') stats.refused += 1;
  stats.ids += whole.length / size + (companionIds?.length ?? 0) / size + 3;
}

/** Writes the pieces with pauses between them, ends or resets as the case says, returns all bytes received. */
function sendCase(port: number, bytes: Uint8Array, c: FuzzCase): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {}); // the server may reset: that is how it refuses
    socket.once('close', () => resolve(Buffer.concat(chunks)));
    socket.once('connect', () => {
      writePieces(socket, bytes, c).catch(reject);
    });
  });
}

async function writePieces(socket: Socket, bytes: Uint8Array, c: FuzzCase): Promise<void> {
  const pieces = casePieces(bytes, c.cuts);
  const destroyAt = c.ending.kind === 'destroy' ? c.ending.afterPieces % (pieces.length + 1) : -1;
  for (let i = 0; i < pieces.length; i++) {
    if (i === destroyAt || socket.destroyed) break;
    const written = await new Promise<boolean>((resolve) => socket.write(pieces[i]!, (error) => resolve(!error)));
    if (!written) return;
    if (c.pauses[i % c.pauses.length] === 'timer') await sleep(1);
    else await nextTurn();
  }
  if (c.ending.kind === 'destroy') socket.destroy();
  else if (!socket.destroyed) socket.end();
}

/** A correct client on its own connection: the right token, one request, all of its answer. */
export function wellBehaved(target: Pick<FuzzTarget, 'port' | 'token' | 'idSize'>, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: target.port });
    const chunks: Buffer[] = [];
    let length = 0;
    const want = count * target.idSize;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= want) socket.end();
    });
    socket.once('error', reject);
    socket.once('close', () => resolve(Buffer.concat(chunks)));
    const auth = target.token ? authFrame(target.token) : new Uint8Array(0);
    socket.write(Buffer.concat([auth, countFrame(count)]));
  });
}

function assertIncreasingAfter(bytes: Uint8Array, size: number, floor: Buffer | undefined, who: string): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let previous = floor;
  for (let at = 0; at < buffer.length; at += size) {
    const id = buffer.subarray(at, at + size);
    if (previous !== undefined && Buffer.compare(previous, id) >= 0) {
      assert.fail(`${who}: ID ${at / size} (${id.toString('hex')}) does not sort above ${previous.toString('hex')}`);
    }
    previous = id;
  }
}

/** Two increasing runs of IDs share none (a merge walk). */
function assertDisjoint(a: Uint8Array, b: Uint8Array, size: number): void {
  const x = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const y = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    const order = Buffer.compare(x.subarray(i, i + size), y.subarray(j, j + size));
    if (order === 0) assert.fail(`duplicate ID ${x.subarray(i, i + size).toString('hex')} on two connections`);
    if (order < 0) i += size;
    else j += size;
  }
}

function lastIdOf(bytes: Uint8Array, size: number): Buffer | undefined {
  return bytes.length < size ? undefined : Buffer.from(bytes.subarray(bytes.length - size));
}

function maxOf(...ids: (Buffer | undefined)[]): Buffer | undefined {
  let max: Buffer | undefined;
  for (const id of ids) if (id !== undefined && (max === undefined || Buffer.compare(id, max) > 0)) max = id;
  return max;
}

/**
 * Keeps only what a case needs (its refusals, and wake-ups on closes), so that a run of many
 * thousand cases does not grow the heap itself and hide a leak of the server's.
 */
export class FuzzObserver implements ServerObserver {
  /** Outcomes other than `ok` since the case began. */
  readonly refusals: RequestOutcome[] = [];
  #waiters: (() => void)[] = [];

  connectionOpened(): void {}
  connectionClosed(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
  requestFinished(_listener: unknown, outcome: RequestOutcome): void {
    if (outcome !== 'ok') this.refusals.push(outcome);
  }
  idsIssued(): void {}
  sequenceExhausted(): void {}
  clockBehind(): void {}

  /** Resolves once `condition` holds, re-checked after every closed connection. */
  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

/** Fails with the server's state instead of hanging when `promise` takes longer than HANG_MS. */
async function withDeadline<T>(promise: Promise<T>, what: string, target: FuzzTarget): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const states = JSON.stringify(target.server.connectionStates());
      reject(new Error(`${what} within ${HANG_MS} ms (server connections: ${states})`));
    }, HANG_MS);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}
