/**
 * A load generator thread: opens its share of a cell's connections, keeps `depth` requests in
 * flight on each (closed loop at depth 1), and times every request from its write to the last
 * byte of its answer. Requests are pre-encoded bytes written on raw sockets, and answers are
 * found by counting bytes (TCP) or Content-Length (HTTP), so the generator does little more
 * per request than the kernel makes it.
 *
 * Protocol with the parent: `ready` once connected; on `start`, warm up, post `window start`,
 * measure, post `window end`, drain what is in flight, post `result`.
 */
import { type Socket, connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { encodeCount } from '../../src/protocol/FrameEncoder.js';
import { HttpAnswerReader } from './HttpAnswerReader.js';
import { LatencySamples } from './LatencySamples.js';
import type { FromLoadWorker, LoadWorkerInput, ToLoadWorker } from './messages.js';
import { TcpAnswerReader } from './TcpAnswerReader.js';

interface AnswerReader {
  push(chunk: Uint8Array): number;
  readonly violations: number;
  readonly ids: number;
  readonly errors?: number;
}

const input = workerData as LoadWorkerInput;
const port = parentPort!;
const post = (message: FromLoadWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

type Phase = 'idle' | 'warmup' | 'measure' | 'drain';
let phase: Phase = 'idle';
let requests = 0;
let ids = 0;
let errors = 0;
const samples = new LatencySamples();

/** The request bytes, repeated 1..depth times, so refilling k slots is one write. */
const oneRequest =
  input.listener === 'tcp'
    ? Buffer.from(encodeCount(input.idsPerRequest))
    : Buffer.from(`GET /v1/ids?count=${input.idsPerRequest} HTTP/1.1\r\nHost: ${input.host}:${input.port}\r\n\r\n`, 'latin1');
const requestRuns = Array.from({ length: input.depth + 1 }, (_, k) => Buffer.concat(Array(k).fill(oneRequest) as Buffer[]));

class LoadConnection {
  readonly socket: Socket;
  readonly reader: AnswerReader;
  readonly #sentAt = new Float64Array(input.depth);
  #head = 0;
  inFlight = 0;
  #ended = false;
  readonly closed: Promise<void>;

  constructor(socket: Socket) {
    this.socket = socket;
    this.reader = input.listener === 'tcp' ? new TcpAnswerReader(input.idsPerRequest, input.idSize) : new HttpAnswerReader();
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.once('close', () => {
      if (!this.#ended) errors++; // the server hung up on us
    });
  }

  /** Fills every free slot with a request, in one write. */
  fill(now: number): void {
    const free = input.depth - this.inFlight;
    if (free <= 0 || this.#ended) return;
    for (let k = 0; k < free; k++) this.#sentAt[(this.#head + this.inFlight + k) % input.depth] = now;
    this.inFlight += free;
    this.socket.write(requestRuns[free]!);
  }

  /** No more requests; close once the ones in flight are answered. */
  finish(): void {
    this.#ended = true;
    if (this.inFlight === 0) this.socket.end();
  }

  /** Bytes read into the worker's one read buffer (valid until the next read). */
  onRead(chunk: Uint8Array): void {
    const now = performance.now();
    let answers = this.reader.push(chunk);
    if (answers > this.inFlight) {
      errors += answers - this.inFlight; // answers nobody asked for
      answers = this.inFlight;
    }
    const measuring = phase === 'measure';
    for (let k = 0; k < answers; k++) {
      if (measuring) samples.add(now - this.#sentAt[this.#head]!);
      this.#head = (this.#head + 1) % input.depth;
    }
    this.inFlight -= answers;
    if (measuring) {
      requests += answers;
      ids += answers * input.idsPerRequest;
    }
    if (this.#ended) {
      if (this.inFlight === 0) this.socket.end();
    } else if (answers > 0) {
      this.fill(now);
    }
  }
}

/**
 * Every connection of this worker reads into this one buffer (`onread`): no Buffer per read and
 * no stream machinery, which would cost the load generator as much per request as the server.
 * The readers copy what they keep, so reuse is safe.
 */
const readBuffer = Buffer.allocUnsafe(256 * 1024);

function open(): Promise<LoadConnection> {
  return new Promise((resolve, reject) => {
    let connection: LoadConnection | undefined;
    const socket = connect({
      host: input.host,
      port: input.port,
      onread: {
        buffer: readBuffer,
        callback: (bytes: number, buffer: Uint8Array) => {
          connection?.onRead(buffer.subarray(0, bytes));
          return true;
        },
      },
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      connection = new LoadConnection(socket);
      resolve(connection);
    });
  });
}

async function run(connections: LoadConnection[]): Promise<void> {
  phase = 'warmup';
  if (input.spin) {
    // Keep this thread's event loop turning so its core never goes idle: an idle core of this
    // VM takes tens of µs to wake, which would otherwise sit in every round trip.
    const spin = () => {
      if (phase !== 'drain') setImmediate(spin);
    };
    spin();
  }
  const now = performance.now();
  for (const connection of connections) connection.fill(now);
  await delay(input.warmupMs);

  const windowStart = performance.now();
  const busyBefore = performance.eventLoopUtilization();
  phase = 'measure';
  post({ type: 'window', edge: 'start' });
  await delay(input.durationMs);
  phase = 'drain';
  const windowEnd = performance.now();
  const utilization = performance.eventLoopUtilization(busyBefore).utilization;
  post({ type: 'window', edge: 'end' });

  for (const connection of connections) connection.finish();
  const cut = setTimeout(() => {
    for (const connection of connections) connection.socket.destroy();
  }, input.drainTimeoutMs);
  await Promise.all(connections.map((connection) => connection.closed));
  clearTimeout(cut);

  const sampleArray = samples.toArray();
  post(
    {
      type: 'result',
      result: {
        requests,
        ids,
        windowMs: windowEnd - windowStart,
        samples: sampleArray,
        violations: connections.reduce((sum, c) => sum + c.reader.violations, 0),
        idsChecked: connections.reduce((sum, c) => sum + c.reader.ids, 0),
        errors: errors + connections.reduce((sum, c) => sum + (c.reader.errors ?? 0), 0),
        utilization,
      },
    },
    [sampleArray.buffer as ArrayBuffer],
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

try {
  const connections = await Promise.all(Array.from({ length: input.connections }, open));
  port.once('message', (message: ToLoadWorker) => {
    if (message.type === 'start') {
      run(connections).catch((error: unknown) => post({ type: 'failed', message: String(error) }));
    }
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', message: `cannot connect to ${input.host}:${input.port}: ${String(error)}` });
}
