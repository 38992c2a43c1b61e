// The reference for the drains: a plain `node:http` client with a keep-alive agent that sends a
// list of requests one after another and reads each answer (JSON parsed when it is JSON).
// Bundled by the bench and run by plain node: `node plain-client.mjs <plan.json>`, where the
// plan is `{ baseUrl, headers, requests: [{ method, path, body? }] }`. Prints `{ sent, failed }`.
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

interface Plan {
  baseUrl: string;
  headers: Record<string, string>;
  requests: Array<{ method: string; path: string; body?: unknown }>;
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Plan;
const base = new URL(plan.baseUrl);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function send(method: string, path: string, body: unknown): Promise<number> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: { ...plan.headers, ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.headers['content-type'] ?? '').includes('json') && text !== '') JSON.parse(text);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

let failed = 0;
for (const { method, path, body } of plan.requests) {
  const status = await send(method, path, body);
  if (status >= 400) failed += 1;
}
agent.destroy();
process.stdout.write(`${JSON.stringify({ sent: plan.requests.length, failed })}\n`);
