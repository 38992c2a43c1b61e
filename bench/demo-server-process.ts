// Runs the demo server in its own process, so a benchmark measures the client's memory alone.
// Prints one JSON line `{ "url": …, "itemIds": [...] }` on stdout, then serves until killed.
import { startDemoServer } from '../src/servers/jellyfin/demo/index.js';

const extraItems = Number(process.argv[2] ?? '0');
const server = await startDemoServer({ adminPort: false, library: { extraItems }, users: [{ name: 'bench', password: 'bench' }] });
const itemIds = server.library.all().filter((item) => !item.isFolder).map((item) => item.id);
process.stdout.write(`${JSON.stringify({ url: server.url, itemIds })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
