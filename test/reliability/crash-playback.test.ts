import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { readQueueFile } from '../../src/sync/queue-file.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { fault, freePort, mpvProcessesWith, playFirstEpisode, reeltermWith, Terminal } from '../helpers/terminal.js';
import { eventually } from '../helpers/wait.js';

describe('kill -9 of the whole reelterm during playback', () => {
  it('leaves a queue that parses with what was played, no mpv behind, and a restart drains it without a key press', async () => {
    // Given reelterm --demo playing an episode in mpv, and the server gone away meanwhile
    const home = await tempDir();
    await mkdir(join(home, 'config'), { recursive: true });
    await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ mpvArgs: ['--vo=null', '--ao=null'], syncWaitSeconds: 1 }));
    const env = { REELTERM_HOME: home, NO_COLOR: '1', TERM: 'xterm-256color' };
    const [port, adminPort] = [await freePort(), await freePort()];
    const term = await Terminal.start(`${process.execPath} ${BIN} --demo`, { ...env, REELTERM_DEMO_PORT: String(port), REELTERM_DEMO_ADMIN_PORT: String(adminPort) });
    await playFirstEpisode(term);
    // Seeks until mpv is past 0:30 (a seek typed before mpv could take one is not lost data, only less to assert)
    await term.keys('Right', 'Right', 'Right', 'Right');
    for (let tries = 0; !/▶ Playing +(0:[3-5]\d|[1-9]:\d\d) \/ 10:00/.test(await term.screen()); tries++) {
      expect(tries).toBeLessThan(30);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (tries % 5 === 4) await term.keys('Right');
    }
    await fault(adminPort, { fault: 'offline' });
    await term.keys('Space');
    await term.waitFor(/❚❚ Paused/);
    // (progress is written at the next flush, within 5 s)
    const queueFile = join(home, 'data', 'demo', 'queue.json');
    const pausedInFile = async () => {
      const read = await readQueueFile(queueFile);
      const ops = read.status === 'ok' ? read.data.ops : [];
      return ops.some((op) => op.kind === 'progress' && (op.payload.positionTicks ?? 0) >= 30 * 10_000_000);
    };
    await eventually(async () => {
      // (what the file and the screen held, should it never come)
      const read = await readQueueFile(queueFile);
      expect(await pausedInFile(), `${JSON.stringify(read)}\n${await term.screen()}`).toBe(true);
    }, 20_000);

    // When the whole process is killed
    const pid = await reeltermWith(home);
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');

    // Then mpv goes too, and the queue file parses and holds the paused position
    await eventually(async () => expect(await mpvProcessesWith(home)).toEqual([]), 5000);
    const read = await readQueueFile(queueFile);
    expect(read.status).toBe('ok');
    const ops = read.status === 'ok' ? read.data.ops : [];
    expect(ops.some((op) => op.kind === 'progress' && (op.payload.positionTicks ?? 0) >= 30 * 10_000_000)).toBe(true);
    await term.kill();

    // When reelterm starts again (a fresh demo server), nobody pressing anything
    const againPort = await freePort();
    const again = await Terminal.start(`${process.execPath} ${BIN} --demo`, { ...env, REELTERM_DEMO_PORT: String(againPort) });
    // Then it takes over the queue from the dead process and drains it by itself: the new
    // server holds the position the viewer paused at
    await again.waitFor(/Libraries/, 30_000);
    const paused = ops.filter((op) => op.kind === 'progress').at(-1)!;
    const client = new JellyfinClient({ serverUrl: `http://127.0.0.1:${againPort}`, deviceId: 'crash-check', deviceName: 'check', clientVersion: '0' });
    await client.authenticateByName('demo', 'demo');
    await eventually(async () => expect((await client.getUserData(paused.itemId)).positionTicks).toBe(paused.payload.positionTicks), 20_000);
    await again.waitFor(/✓ Synced/, 20_000);
    await again.keys('q');
    await again.waitFor(/Demo server: http:\/\/127\.0\.0\.1:\d+/, 10_000);
    const pending = await runCli(['--pending', '--demo'], { home });
    expect(pending.stdout).toBe('Nothing pending.\n');
  }, 90_000);
});
