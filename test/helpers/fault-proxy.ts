import { createServer, connect, type Server, type Socket } from 'node:net';

/** What the proxy does to new connections. */
export type ProxyMode = 'pass' | 'refuse' | 'reset' | 'stall' | 'empty';

/**
 * A TCP proxy between the client and a server, for soak tests: it passes bytes through, or
 * refuses connections (closes them at once, as a dead host's RST would), resets them once the
 * server has started answering, holds them silent (a stall), or answers 200 with nothing in the
 * server's place (`empty`, a middlebox). A real network part: the client
 * sees real socket errors and timeouts.
 */
export class FaultProxy {
  private current: ProxyMode = 'pass';
  /** With `reset`: only answers to requests whose first bytes (request line and headers) match are cut off. */
  only: RegExp | undefined;
  /** How many answers were cut off. */
  resets = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts a proxy on loopback in front of `targetUrl`; resolves with it and its URL. */
  static async start(targetUrl: string): Promise<{ proxy: FaultProxy; url: string }> {
    const target = new URL(targetUrl);
    const proxy = new FaultProxy({ host: target.hostname, port: Number(target.port) });
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.server.address() as { port: number };
    return { proxy, url: `http://127.0.0.1:${port}` };
  }

  /** What the proxy does now. Refusing also drops the connections already open (kept-alive ones). */
  get mode(): ProxyMode {
    return this.current;
  }

  set mode(mode: ProxyMode) {
    this.current = mode;
    if (mode === 'refuse') for (const socket of this.sockets) socket.destroy();
  }

  /** The network is gone: the port refuses new connections (ECONNREFUSED: nothing was sent) until `up()`. */
  async down(): Promise<void> {
    this.port = (this.server.address() as { port: number }).port;
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Listens again on the same port, passing traffic through. */
  async up(): Promise<void> {
    this.current = 'pass';
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
  }

  private port = 0;

  /** Closes every connection and the listener. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    if (this.current === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(upstream);
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    // Checked per chunk, so kept-alive connections meet the fault too.
    let matched = true;
    client.on('data', (chunk: Buffer) => {
      if (this.only !== undefined && /^[A-Z]+ \//.test(chunk.toString('latin1', 0, 16))) matched = this.only.test(chunk.toString('latin1'));
      if (this.current === 'empty' && (this.only === undefined || matched)) {
        // A middlebox's answer: 200 with nothing, and the request never reaches the server.
        client.end('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        upstream.destroy();
        return;
      }
      if (this.current !== 'stall') upstream.write(chunk); // a stall: the request never arrives
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.current === 'reset' && (this.only === undefined || matched)) {
        this.resets += 1;
        // The server got the request (and may have acted on it); the answer is cut off.
        client.write(chunk.subarray(0, Math.min(12, chunk.length)));
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
  }
}
