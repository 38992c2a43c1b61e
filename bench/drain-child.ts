// The client side of the drain benchmark, bundled by esbuild and run by plain node as the
// app runs: `node drain-child.mjs <serverUrl> <queueDir>`. Prints `{ seconds, peakRssMb, left }`.
import { join } from 'node:path';
import { JellyfinClient } from '../src/servers/jellyfin/client.js';
import { openOutbox } from '../src/sync/index.js';
import { JellyfinDeliver } from '../src/servers/jellyfin/deliver.js';

const [serverUrl, dir] = process.argv.slice(2) as [string, string];
const client = new JellyfinClient({ serverUrl, deviceId: 'bench', deviceName: 'bench', clientVersion: '0.1.0' });
await client.authenticateByName('bench', 'bench');
const started = performance.now();
const { outbox } = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: new JellyfinDeliver(client) });
const result = await outbox.settle({ timeoutMs: 120_000 });
const seconds = (performance.now() - started) / 1000;
await outbox.close();
// maxRSS is the kernel's high-water mark for this process, in KiB.
process.stdout.write(`${JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, left: result.pending })}\n`);
