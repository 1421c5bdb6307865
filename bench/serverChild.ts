/**
 * The server side of `npm run bench:server`, run as its own process so it has an event loop
 * (and a core) of its own, apart from the load generator: the same pieces `startIdNode`
 * wires (a Generator, one IdService, the TCP listener with its defaults) plus the HTTP API on
 * the same IdService, as a deployment with both listeners would run them.
 *
 * The parent sends `{ type: 'start', layout, observer }` over IPC and gets back
 * `{ type: 'listening', tcpPort, httpPort, idSize }`; `{ type: 'stop' }` closes both listeners
 * and exits normally (so `--cpu-prof` gets to write its profile).
 */
import { createGenerator } from '../src/createGenerator.js';
import { startFloorServer, startHttpFloorServer } from './load/floorServer.js';
import { HttpIdServer } from '../src/server/http/HttpIdServer.js';
import { IdService } from '../src/server/IdService.js';
import { MetricsObserver } from '../src/server/metrics/MetricsObserver.js';
import { type ServerObserver, silentObserver } from '../src/server/ServerObserver.js';
import { TcpIdServer } from '../src/server/TcpIdServer.js';

/** `floor`: not Flakery but bench/load/floorServer.ts, the bare minimum, for comparison. */
export type BenchLayout = 'snowflake' | 'overt' | 'floor';
export type BenchObserver = 'metrics' | 'none';

export type ToServerChild =
  | { readonly type: 'start'; readonly layout: BenchLayout; readonly observer: BenchObserver }
  | { readonly type: 'stop' };

export type FromServerChild =
  | { readonly type: 'listening'; readonly tcpPort: number; readonly httpPort: number; readonly idSize: number }
  | { readonly type: 'failed'; readonly message: string };

const HOST = '127.0.0.1';

async function start(layout: BenchLayout, observerKind: BenchObserver): Promise<() => Promise<void>> {
  if (layout === 'floor') {
    const floor = await startFloorServer(HOST);
    const httpFloor = await startHttpFloorServer(HOST);
    send({ type: 'listening', tcpPort: floor.port, httpPort: httpFloor.port, idSize: 8 });
    return async () => {
      await Promise.all([floor.close(), httpFloor.close()]);
    };
  }
  // A fixed node identity: the benchmark needs no network interface or worker-id lease.
  const generator =
    layout === 'snowflake' ? createGenerator({ layout, machineId: 1 }) : createGenerator({ layout, hardwareId: '0242ac110002' });
  const metrics = observerKind === 'metrics' ? new MetricsObserver() : undefined;
  const observer: ServerObserver = metrics ?? silentObserver;
  const service = new IdService({ generator, observer });
  const tcp = new TcpIdServer({ service, observer });
  const http = new HttpIdServer({ service, observer, ...(metrics ? { metrics } : {}) });
  const tcpAddress = await tcp.listen({ host: HOST, port: 0 });
  const httpAddress = await http.listen({ host: HOST, port: 0 });
  send({ type: 'listening', tcpPort: tcpAddress.port, httpPort: httpAddress.port, idSize: service.idSize });
  return async () => {
    await Promise.all([tcp.close({ timeoutMs: 1000 }), http.close({ timeoutMs: 1000 })]);
  };
}

function send(message: FromServerChild): void {
  process.send?.(message);
}

if (process.send === undefined) {
  process.stderr.write('bench/serverChild: run by bench/server.js over IPC, not directly\n');
  process.exit(2);
}

let stop: (() => Promise<void>) | undefined;
process.on('message', (message: ToServerChild) => {
  if (message.type === 'start') {
    start(message.layout, message.observer).then(
      (close) => (stop = close),
      (error: unknown) => send({ type: 'failed', message: String(error) }),
    );
  } else if (message.type === 'stop') {
    const close = stop ?? (async () => {});
    void close().finally(() => process.exit(0));
  }
});
// The parent went away without a stop: do not linger.
process.on('disconnect', () => process.exit(0));
