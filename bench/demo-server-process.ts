// Runs a demo server (Jellyfin or Plex) in its own process, so a benchmark measures the
// client's CPU and memory alone. Bundled by the bench and run by plain node:
//   node demo-server.mjs <jellyfin|plex> <videos> <deviceId> [<clip>]
// <clip>: the media file every video streams instead of assets/demo/clip.mp4, with make-clip.sh's
// subtitle files beside it (Jellyfin only: `DemoServerOptions.clip`).
// Prints one JSON line `{ kind, url, itemIds, token, userId, userName, serverId }` on stdout
// (signed in as the owner, as `reelterm login` would save it), then serves until killed.
// Commands on stdin, one a line, each answered with one line:
//   `clear`        forget the request journal
//   `dump <file>`  write the journal (method, path, query, JSON body, epoch ms) to <file>; answers the count
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startDemoServer } from '../src/servers/jellyfin/demo/index.js';
import { startPlexDemoServer } from '../src/servers/plex/demo/index.js';

const [kind = 'jellyfin', sizeText = '0', deviceId = 'reelterm-bench', clip] = process.argv.slice(2);
const videos = Number(sizeText);
const JOURNAL_LIMIT = 1_000_000;

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  time: Date;
}

let journal: () => readonly Recorded[];
let clear: () => void;
let close: () => Promise<void>;
let hello: Record<string, unknown>;

if (kind === 'plex') {
  if (clip !== undefined) throw new Error('the Plex demo server streams assets/demo/clip.mp4 only');
  // The default shows stay (the home screen has something in each section); the films are the bulk.
  const server = await startPlexDemoServer({ library: { films: Math.max(36, videos) }, journalLimit: JOURNAL_LIMIT });
  const itemIds = [...server.library.all()].filter((item) => item.type === 'movie').map((item) => item.ratingKey);
  journal = () => server.journal.filter((entry) => entry.half === 'pms');
  clear = () => server.clearJournal();
  close = () => server.close();
  hello = {
    kind: 'plex',
    url: server.url,
    plexTvUrl: server.plexTvUrl,
    itemIds,
    token: server.owner.serverToken,
    userId: String(server.owner.id),
    userName: server.owner.username,
    serverId: server.machineIdentifier,
  };
} else {
  const server = await startDemoServer({ adminPort: false, library: { extraItems: videos }, users: [{ name: 'bench', password: 'bench' }], journalLimit: JOURNAL_LIMIT, clip });
  const itemIds = server.library.all().filter((item) => !item.isFolder && item.type === 'Movie').map((item) => item.id);
  // Signed in over HTTP as reelterm would be, with this installation's DeviceId.
  const answer = await fetch(`${server.url}/Users/AuthenticateByName`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `MediaBrowser Client="reelterm", Device="bench", DeviceId="${deviceId}", Version="0.1.0"` },
    body: JSON.stringify({ Username: 'bench', Pw: 'bench' }),
  });
  const signedIn = (await answer.json()) as { AccessToken: string; ServerId: string; User: { Id: string; Name: string } };
  journal = () => server.journal;
  clear = () => server.clearJournal();
  close = () => server.close();
  hello = { kind: 'jellyfin', url: server.url, itemIds, token: signedIn.AccessToken, userId: signedIn.User.Id, userName: signedIn.User.Name, serverId: signedIn.ServerId };
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, argument] = line.trim().split(/\s+/, 2);
  if (command === 'clear') {
    clear();
    process.stdout.write('ok\n');
  } else if (command === 'dump' && argument !== undefined) {
    const entries = journal().map(({ method, path, query, time, ...rest }) => ({ method, path, query, at: time.getTime(), ...('body' in rest && rest.body !== undefined ? { body: rest.body } : {}) }));
    writeFileSync(argument, JSON.stringify(entries));
    process.stdout.write(`${entries.length}\n`);
  } else {
    process.stdout.write('?\n');
  }
});
process.stdout.write(`${JSON.stringify(hello)}\n`);
process.on('SIGTERM', () => void close().then(() => process.exit(0)));
