import { type IncomingHttpHeaders, request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ManualClock } from '../../../src/clock/ManualClock.js';
import { createGenerator } from '../../../src/createGenerator.js';
import type { GeneratorOptions } from '../../../src/options/GeneratorOptions.js';
import { type HttpIdServerOptions, HttpIdServer } from '../../../src/server/http/HttpIdServer.js';
import { IdService } from '../../../src/server/IdService.js';
import { MetricsObserver } from '../../../src/server/metrics/MetricsObserver.js';

/** The test servers' start time: 2024-01-01T00:00:00Z. */
export const START_MS = 1_704_067_200_000;
export const HARDWARE_ID = 'aabbccddeeff';

export interface HttpTestServer {
  readonly server: HttpIdServer;
  readonly service: IdService;
  readonly metrics: MetricsObserver;
  readonly clock: ManualClock;
  readonly port: number;
  readonly base: string;
  stop(): Promise<void>;
}

/**
 * An HttpIdServer on 127.0.0.1 port 0 over an overt generator (fixed hardware id, process id 7)
 * driven by a ManualClock that moves 1 ms per reading, so IDs never wait on real time and a test
 * can step the clock back. Metrics are on.
 */
export async function startHttpServer(
  options: Partial<HttpIdServerOptions> & { generator?: GeneratorOptions } = {},
): Promise<HttpTestServer> {
  const clock = new ManualClock(START_MS, { autoAdvanceMs: 1 });
  const metrics = new MetricsObserver();
  const generator = createGenerator({ layout: 'overt', hardwareId: HARDWARE_ID, processId: 7, clock, ...options.generator });
  const service = new IdService({ generator, observer: metrics });
  const server = new HttpIdServer({ service, metrics, observer: metrics, ...options });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  const base = `${server.scheme}://127.0.0.1:${port}`;
  return { server, service, metrics, clock, port, base, stop: () => server.close({ timeoutMs: 1000 }) };
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body parsed as JSON (throws when it is not). */
  json(): any;
}

export interface GetOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly ca?: Buffer;
  readonly agent?: HttpAgent | false;
  readonly body?: string;
}

/** One request with node:http(s); resolves with the whole answer. */
export function get(url: string, options: GetOptions = {}): Promise<Reply> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: options.agent ?? false,
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes `text` as is to a new TCP connection and resolves with everything read until it closes. */
export function rawRequest(port: number, text: string | Buffer): Promise<string> {
  return import('node:net').then(
    ({ connect }) =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      }),
  );
}

/** Which side serves each open connection and how many of its answers were quick (connectionStates, less the buffers). */
export function servedBy(server: HttpIdServer): { servedBy: string; quickAnswers: number }[] {
  return server.connectionStates().map(({ servedBy, quickAnswers }) => ({ servedBy, quickAnswers }));
}
