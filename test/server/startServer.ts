import { createGenerator } from '../../src/index.js';
import { TcpIdServer, type TcpIdServerOptions } from '../../src/server/TcpIdServer.js';
import { RecordingObserver } from './recordingObserver.js';

/** A fixed hardware id, so tests need no network interface. */
export const HID = '0242ac110002';

/** Starts a server on 127.0.0.1, port 0; `stop()` closes it. */
export async function startServer(options: Partial<TcpIdServerOptions> = {}) {
  const observer = new RecordingObserver();
  const server = new TcpIdServer({ service: createGenerator({ hardwareId: HID }), observer, ...options });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, port, observer, stop: () => server.close({ timeoutMs: 1000 }) };
}

