// Demo servers in their own processes, and reelterm homes signed in to them (as `reelterm login`
// leaves a home: config.json with the DeviceId, credentials.json with the server's token).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { promisify } from 'node:util';
import { demoServerBundle } from './bundles.js';
import { ROOT, scratchDir } from './measure.js';

export type Kind = 'jellyfin' | 'plex';

/** The DeviceId of every bench home (and of the demo server's sign-in). */
export const DEVICE_ID = 'reeltermbench0000000000000000001';

/** A demo server running in a child process, signed in as its owner. */
export interface DemoProcess {
  kind: Kind;
  url: string;
  plexTvUrl?: string;
  itemIds: string[];
  token: string;
  userId: string;
  userName: string;
  serverId: string;
  /** Forgets the request journal. */
  clear(): Promise<void>;
  /** Writes the journal to `file`; resolves with how many requests it holds. */
  dump(file: string): Promise<number>;
  /** The journal's requests since the last `clear` (the PMS half's only, for Plex). */
  requests(): Promise<Array<{ method: string; path: string; query: Record<string, string>; at: number; body?: unknown }>>;
  stop(): Promise<void>;
}

/**
 * Starts a demo server of `kind` with at least `videos` films, in its own process; every video
 * streams `clip` when given (Jellyfin only, e.g. `filmClip()`), else assets/demo/clip.mp4.
 */
export async function startDemoProcess(kind: Kind, videos: number, clip?: string): Promise<DemoProcess> {
  const argv = [await demoServerBundle(), kind, String(videos), DEVICE_ID, ...(clip === undefined ? [] : [clip])];
  const child: ChildProcess = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Interface = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  const early: string[] = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else early.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const queued = early.shift();
      if (queued !== undefined) return resolve(queued);
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`the demo ${kind} server exited (${code})`)));
    });
  const hello = JSON.parse(await nextLine()) as Omit<DemoProcess, 'clear' | 'dump' | 'requests' | 'stop'>;
  const ask = async (command: string) => {
    child.stdin!.write(`${command}\n`);
    return nextLine();
  };
  const dump = async (file: string) => Number(await ask(`dump ${file}`));
  return {
    ...hello,
    clear: async () => void (await ask('clear')),
    dump,
    async requests() {
      const dir = await mkdtemp(join(tmpdir(), 'reelterm-bench-journal-'));
      try {
        const file = join(dir, 'journal.json');
        await dump(file);
        const { readFile } = await import('node:fs/promises');
        return JSON.parse(await readFile(file, 'utf8')) as Array<{ method: string; path: string; query: Record<string, string>; at: number; body?: unknown }>;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The frame rate of `filmClip()`. */
export const FILM_FPS = 24;

let film: Promise<string> | undefined;

/**
 * A film of the demo clip's shape (600 s, 160x90, the same audio and subtitle tracks) at
 * `FILM_FPS` frames/s, as a real film plays: mpv then reports `time-pos` 24 times a second, not
 * once as with assets/demo/clip.mp4 at 1 frame/s. Made once per bench process by make-clip.sh in
 * the scratch folder (a few seconds, about 1 MB), the .srt files beside it; resolves with its path.
 */
export function filmClip(): Promise<string> {
  film ??= (async () => {
    const dir = join(await scratchDir(), 'film');
    const env = { ...process.env, CLIP_RATE: String(FILM_FPS), CLIP_PRESET: 'ultrafast', CLIP_DIR: dir };
    await promisify(execFile)('sh', [join(ROOT, 'assets', 'demo', 'make-clip.sh')], { env });
    return join(dir, 'clip.mp4');
  })();
  return film;
}

/** A reelterm home (REELTERM_HOME) signed in to `server`, with `settings` in config.json. */
export async function signedInHome(server: Pick<DemoProcess, 'kind' | 'url' | 'token' | 'userId' | 'userName' | 'serverId'>, settings: Record<string, unknown> = {}): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'reelterm-bench-home-'));
  const config = join(home, 'config');
  await mkdir(config, { recursive: true, mode: 0o700 });
  await mkdir(join(home, 'data'), { recursive: true, mode: 0o700 });
  await writeFile(join(config, 'config.json'), JSON.stringify({ deviceId: DEVICE_ID, ...settings }), { mode: 0o600 });
  const credentials = { kind: server.kind, server: server.url, serverId: server.serverId, userId: server.userId, userName: server.userName, token: server.token };
  await writeFile(join(config, 'credentials.json'), JSON.stringify(credentials), { mode: 0o600 });
  await chmod(join(config, 'credentials.json'), 0o600);
  return home;
}

/** The queue account of `server`'s owner, as `accountOf` makes it from the saved sign-in. */
export function accountOf(server: Pick<DemoProcess, 'kind' | 'url' | 'userId' | 'userName' | 'serverId'>) {
  return { kind: server.kind, serverId: server.serverId, server: server.url, userId: server.userId, userName: server.userName };
}

/** The headers a plain client sends to `server` as its owner. */
export function plainHeaders(server: Pick<DemoProcess, 'kind' | 'token'>): Record<string, string> {
  if (server.kind === 'plex') {
    return { Accept: 'application/json', 'X-Plex-Token': server.token, 'X-Plex-Client-Identifier': 'reelterm-bench-plain', 'X-Plex-Product': 'bench', 'X-Plex-Version': '0.1.0' };
  }
  return { Accept: 'application/json', Authorization: `MediaBrowser Client="bench", Device="bench", DeviceId="plain-client", Version="0.1.0", Token="${server.token}"` };
}
