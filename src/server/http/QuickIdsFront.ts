import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { type TlsOptions, createServer as createTlsServer } from 'node:tls';
import { listenOn } from '../listenOn.js';
import { FrontConnection, type FrontConnectionOptions, type HttpConnectionState } from './FrontConnection.js';

export interface QuickIdsFrontOptions extends FrontConnectionOptions {
  /** Terminate TLS here (options for `tls.createServer`); node:http then sees decrypted sockets. */
  readonly tls?: TlsOptions | undefined;
  /** Open connections at most; more are closed at once by the listener. */
  readonly maxConnections: number;
  /** Errors of the listening socket (not of connections). */
  readonly onError: (error: Error) => void;
}

const ignore = (): void => {};

/**
 * The HTTP listener: a plain `net.Server` (or `tls.Server`) whose connections start on the quick
 * path (FrontConnection) and are handed to node:http when a request needs more than it does. It
 * owns what is per connection and not per request: the connection limit, the open-connection
 * counts (reported once per socket, whichever side serves it), and the first step of a graceful
 * close.
 */
export class QuickIdsFront {
  readonly #server: Server;
  readonly #options: QuickIdsFrontOptions;
  readonly #connections = new Set<FrontConnection>();
  #closing = false;

  constructor(options: QuickIdsFrontOptions) {
    this.#options = options;
    const accept = (socket: Socket): void => this.#accept(socket);
    // As node:http's listeners are set up: Nagle off (small answers must not wait for an ACK),
    // half-open allowed on plain TCP (node:http ends the socket itself), http/1.1 over ALPN.
    this.#server = options.tls
      ? createTlsServer({ noDelay: true, ALPNProtocols: ['http/1.1'], ...options.tls }, accept)
      : createServer({ noDelay: true, allowHalfOpen: true }, accept);
    this.#server.maxConnections = options.maxConnections;
    // Without a listener a failed handshake would be an 'error' on a socket nobody listens to.
    this.#server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
    this.#server.on('error', options.onError);
  }

  /** The bound address once listening. */
  address(): AddressInfo | undefined {
    const address = this.#server.address();
    return address !== null && typeof address === 'object' ? address : undefined;
  }

  /** Each open connection's state; for tests and diagnostics. */
  connectionStates(): HttpConnectionState[] {
    return [...this.#connections].map((connection) => connection.state);
  }

  listen(options: { host: string; port: number }): Promise<AddressInfo> {
    return listenOn(this.#server, options);
  }

  /**
   * Stops accepting and ends every connection still on the quick path (idle by construction);
   * resolves once every connection accepted — handed off or not — is closed. Ending the handed-
   * off ones is node:http's part (HttpIdServer.close).
   */
  close(): Promise<void> {
    this.#closing = true;
    // Its callback gets ERR_SERVER_NOT_RUNNING when the listener never listened: closed all the same.
    const listenerClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const connections = [...this.#connections];
    for (const connection of connections) connection.shutdown();
    // Not only the listener's callback: that can come a tick before the sockets' 'close'
    // events, and so before the connection counts are reported.
    return Promise.all([listenerClosed, ...connections.map((connection) => connection.closed)]).then(() => {});
  }

  /** Destroys every open connection, whoever serves it: the end of a graceful close's grace. */
  destroyConnections(): void {
    for (const connection of this.#connections) connection.socket.destroy();
  }

  #accept(socket: Socket): void {
    // A reset is an ordinary way for a client to leave; node:http adds its own handler after a hand-off.
    socket.on('error', ignore);
    if (this.#closing) {
      socket.destroy();
      return;
    }
    const { observer } = this.#options;
    const connection = new FrontConnection(socket, this.#options);
    this.#connections.add(connection);
    observer.connectionOpened('http');
    socket.once('close', () => {
      this.#connections.delete(connection);
      observer.connectionClosed('http');
    });
  }
}
