import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { launchPlayer } from '../../src/commands/play.js';
import { pendingCommand } from '../../src/commands/pending.js';
import { createServices } from '../../src/commands/services.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import { closeLog, configureLog } from '../../src/log.js';
import type { Player } from '../../src/player/index.js';
import { openOutbox } from '../../src/sync/index.js';
import { JellyfinDeliver } from '../../src/servers/jellyfin/deliver.js';
import { signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';
import { jellyfinServer } from '../../src/servers/jellyfin/index.js';

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const server = useDemoServer();
afterAll(() => closeLog());

describe.skipIf(!hasMpv)('the token, through a whole playback', () => {
  it('is in no process\'s arguments, no URL, no log line, no queue file and no --pending output', async () => {
    // Given a signed-in client, a debug log, and a queue file of our own
    const demo = server();
    const dir = await tempDir();
    const logFile = join(dir, 'reelterm.log');
    configureLog({ file: logFile, level: 'debug' });
    const client = await signedInClient(demo);
    const token = /Token="([^"]+)"/.exec(client.authorizationHeader())![1]!;
    const queueFile = join(dir, 'queue.json');
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver: new JellyfinDeliver(client), backoff: { baseMs: 50, capMs: 200 } });
    onTestFinished(() => outbox.close());
    const settings: Settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: 'test-device', mpvArgs: ['--vo=null', '--ao=null'] };
    const players: Player[] = [];
    const launch = launchPlayer(settings);
    const keep = async (options: Parameters<typeof launch>[0]) => {
      const player = (await launch(options)) as Player;
      players.push(player);
      return player;
    };
    const app = createServices({ server: jellyfinServer(client), outbox, launch: keep, syncWaitMs: 1000, who: 'test', account: { server: demo.url, userName: 'demo' }, playback: settings });
    onTestFinished(() => app.stopPlayback());
    const film = (await client.items({ includeItemTypes: ['Movie'], recursive: true, limit: 1 })).items[0]!;

    // When a film plays
    const playback = await app.play(film, 30);
    await eventually(() => expect(playback.view().positionSeconds).toBeGreaterThan(30), 15_000);

    // Then no process on the machine has the token in its arguments (mpv included)
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(token);
    // and mpv has no IPC socket file anyone could open: only a socket pair with reelterm
    const mpv = players[0]!.pid;
    // (every socket mpv holds is a unix socket without a path: nothing on disk to connect to)
    const inodes = readdirSync(`/proc/${mpv}/fd`)
      .map((fd) => { try { return readlinkSync(`/proc/${mpv}/fd/${fd}`); } catch { return ''; } })
      .flatMap((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1] ?? []);
    expect(inodes.length).toBeGreaterThan(0);
    const unix = new Map(readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1).map((line) => line.trim().split(/\s+/)).map((cols) => [cols[6], cols[7] ?? ''] as const));
    expect(inodes.some((inode) => unix.has(inode))).toBe(true);
    for (const inode of inodes) if (unix.has(inode)) expect(unix.get(inode)).toBe('');

    // When the server goes away and the viewer stops: the stop waits in the queue
    await demo.faults.offline();
    await app.stopPlayback();
    await eventually(() => expect(outbox.status().pending).toBeGreaterThan(0), 10_000);

    // Then neither the queue file nor --pending (text or JSON) holds the token
    expect(readFileSync(queueFile, 'utf8')).not.toContain(token);
    for (const json of [false, true]) expect((await pendingCommand({ queueFile, json })).stdout).not.toContain(token);

    // When it comes back, the stop lands
    await demo.faults.clear();
    outbox.retryNow();
    expect(await playback.settle(15_000)).toMatchObject({ settled: true });

    // Then no request carried the token in its address, and the log never wrote it
    for (const entry of demo.journal) {
      expect(entry.path).not.toContain(token);
      expect(Object.keys(entry.query).map((key) => key.toLowerCase())).not.toContain('api_key');
      expect(Object.keys(entry.query).map((key) => key.toLowerCase())).not.toContain('apikey');
    }
    expect(demo.journal.some((entry) => entry.path.startsWith('/Videos/'))).toBe(true);
    await closeLog();
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('jellyfin request');
    expect(log).not.toContain(token);
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
  });
});
