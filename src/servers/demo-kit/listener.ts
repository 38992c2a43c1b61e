/**
 * One HTTP listener of a demo server that can stop listening and come back on the same port
 * (the `offline` fault), and that knows its own address.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening HTTP server whose port survives going offline and back. */
export interface DemoListener {
  /** The port it listens on (the one it picked when asked for 0). */
  readonly port: number;
  /** `http://host:port`, with an IPv6 host in brackets. */
  readonly url: string;
  /** Listens again on the same port (after `stopListening`). */
  listen(): Promise<void>;
  /** Stops accepting connections and ends the open ones, so clients see refused connections. */
  stopListening(): Promise<void>;
  readonly listening: boolean;
}

/** Starts listening on `host:port` (0 picks a free port) with this request handler. */
export async function startListener(handler: (request: IncomingMessage, response: ServerResponse) => void, host: string, port: number): Promise<DemoListener> {
  const server: Server = createServer(handler);
  let bound = port;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(bound, host, () => {
        server.off('error', reject);
        bound = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();
  return {
    get port() {
      return bound;
    },
    get url() {
      return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
    },
    get listening() {
      return server.listening;
    },
    listen,
    stopListening,
  };
}
