import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What the gate answers itself instead of forwarding. */
export type Canned = { status: number; headers: Record<string, string>; body: string };

/**
 * A real HTTP reverse proxy in front of the demo server (nginx, Caddy, an SSO gate such as
 * Authelia or oauth2-proxy, a captive portal on the path). `answer` lets it answer some
 * requests itself, as such a gate does.
 */
export class Gate {
  answer: ((req: IncomingMessage) => Canned | undefined) | undefined;
  readonly seen: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<Gate> {
    const upstream = new URL(target);
    let gate!: Gate;
    const http = createServer((req: IncomingMessage, res: ServerResponse) => {
      gate.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const canned = gate.answer?.(req);
      if (canned) {
        req.resume();
        res.writeHead(canned.status, canned.headers).end(canned.body);
        return;
      }
      const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as { port: number };
    gate = new Gate(http, `http://127.0.0.1:${port}`);
    return gate;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
