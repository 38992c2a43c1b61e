import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import type { Op } from '../../src/sync/op.js';
import { readQueueFile } from '../../src/sync/queue-file.js';
import { signedInClient } from '../helpers/demo-server.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { mpvProcessesWith, playFirstEpisode, reeltermWith, Terminal } from '../helpers/terminal.js';
import { eventually, isRunning } from '../helpers/wait.js';

const TICKS = 10_000_000;
const seconds = (ticks: number) => Math.round(ticks / TICKS);

/** One item's id as the queue and the server's journal spell it (with or without dashes). */
const sameId = (a: string, b: string) => a.replace(/-/g, '').toLowerCase() === b.replace(/-/g, '').toLowerCase();

/** The positions (s) of the playback reports (progress and stop, or progress only) for `itemId` the server applied, oldest first. */
function acknowledged(server: DemoServer, itemId: string, reports: 'progress and stop' | 'progress' = 'progress and stop'): number[] {
  const path = reports === 'progress' ? /^\/Sessions\/Playing\/Progress$/i : /^\/Sessions\/Playing\/(Progress|Stopped)$/i;
  return server.journal
    .filter((entry) => entry.method === 'POST' && path.test(entry.path))
    .filter((entry) => entry.status !== undefined && entry.status < 300)
    .map((entry) => entry.body as { ItemId?: string; PositionTicks?: number } | undefined)
    .filter((body) => body?.ItemId !== undefined && sameId(body.ItemId, itemId) && typeof body.PositionTicks === 'number')
    .map((body) => body!.PositionTicks! / TICKS);
}

async function queuedOps(queueFile: string): Promise<Op[]> {
  const read = await readQueueFile(queueFile);
  expect(read.status).toBe('ok');
  return read.status === 'ok' ? read.data.ops : [];
}

/** The position the now-playing screen shows, in seconds. */
function shownPosition(screen: string): number {
  const match = /(\d+):(\d\d) \/ 10:00/.exec(screen);
  if (!match) throw new Error(`no position on the screen:\n${screen}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * reelterm (not --demo) signed in to a demo server that lives in the test, so the server
 * outlives the reelterm it kills; playing the first episode in mpv. The shell prints how
 * reelterm exited and whether the terminal is back in its normal (cooked, echoing) mode.
 */
async function playing() {
  const server = await startDemoServer({ adminPort: false });
  onTestFinished(() => server.close());
  const home = await tempDir();
  await mkdir(join(home, 'config'), { recursive: true });
  await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ mpvArgs: ['--vo=null', '--ao=null'], syncWaitSeconds: 1 }));
  const login = await runCli(['login', '--server', server.url, '--user', 'demo'], { home, env: { REELTERM_PASSWORD: 'demo' } });
  expect(login.stdout).toContain('Signed in');
  const afterExit = `echo "reelterm exited $?; tty: $(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | paste -sd' ')"`;
  const term = await Terminal.start(`${process.execPath} ${BIN}; ${afterExit}`, { REELTERM_HOME: home, NO_COLOR: '1', TERM: 'xterm-256color' });
  await playFirstEpisode(term);
  const pid = await reeltermWith(home);
  expect(pid).toBeDefined();
  return { server, home, term, pid: pid!, queueFile: join(home, 'data', 'queue.json'), client: await signedInClient(server, { deviceId: 'crash-check' }) };
}

/**
 * Plays from 0:40 or so until a progress is in the queue file, then seeks ten times 10 s ahead
 * and waits until the server has applied a report of the new position. Returns the item, the
 * position the queue file held before the seek, and the first far position the server applied (s).
 */
async function seekFarAhead(scene: Awaited<ReturnType<typeof playing>>) {
  const { term, queueFile, server } = scene;
  await term.keys('Right', 'Right', 'Right', 'Right');
  const written = await eventually(async () => {
    const progress = (await queuedOps(queueFile)).filter((op) => op.kind === 'progress' && (op.payload.positionTicks ?? 0) >= 35 * TICKS);
    expect(progress).not.toEqual([]);
    return progress.at(-1)!;
  }, 30_000);
  const before = seconds(written.payload.positionTicks!);
  // All ten at once, as a held key sends them: the seek reaches the server well before the next queue write.
  await term.tmux(['send-keys', '-t', term.name, ...Array<string>(10).fill('Right')]);
  await term.waitFor(/▶ Playing +([2-9]|1\d):\d\d \/ 10:00/, 20_000);
  const landed = await eventually(() => {
    const far = acknowledged(server, written.itemId, 'progress').filter((position) => position >= before + 80);
    expect(far).not.toEqual([]);
    return far[0]!;
  }, 20_000);
  return { itemId: written.itemId, before, landed };
}

/** Signals the reelterm process, types Ctrl+C, or closes its terminal; waits until it has exited. */
async function end(scene: Awaited<ReturnType<typeof playing>>, how: 'SIGKILL' | 'SIGTERM' | 'SIGHUP' | 'Ctrl+C' | 'Ctrl+C twice' | 'close the terminal'): Promise<void> {
  if (how === 'Ctrl+C') await scene.term.keys('C-c');
  else if (how === 'Ctrl+C twice') await scene.term.tmux(['send-keys', '-t', scene.term.name, 'C-c', 'C-c']);
  else if (how === 'close the terminal') await scene.term.kill();
  else process.kill(scene.pid, how);
  await eventually(() => expect(isRunning(scene.pid)).toBe(false), 20_000);
}

const runs = Math.max(1, Number(process.env.CRASH_SEEK_RUNS ?? 1));

describe('kill -9 within seconds of a seek', () => {
  for (let run = 1; run <= runs; run++) {
    it(`never moves the server back to the position before the seek${runs > 1 ? ` (run ${run} of ${runs})` : ''}`, async () => {
      // Given an episode playing, a progress in the queue file, then a seek far ahead that the server has applied
      const scene = await playing();
      const { itemId, before, landed } = await seekFarAhead(scene);
      const shown = shownPosition(await scene.term.screen());

      // When reelterm is killed outright, at once
      await end(scene, 'SIGKILL');

      // Then mpv goes too
      await eventually(async () => expect(await mpvProcessesWith(scene.home)).toEqual([]), 10_000);
      // And the queue file holds nothing for the item older than what the server was already sent
      const sent = Math.max(...acknowledged(scene.server, itemId));
      const left = (await queuedOps(scene.queueFile)).filter((op) => op.itemId === itemId && op.payload.positionTicks !== undefined);
      expect.soft(left.map((op) => ({ kind: op.kind, at: seconds(op.payload.positionTicks!) })).filter((op) => op.at < sent - 2), `the server was sent ${sent} s; the queue file held (before the seek: ${before} s)`).toEqual([]);

      // When the queue is delivered after the crash
      const sync = await runCli(['sync'], { home: scene.home });
      expect(sync.code, sync.stderr).toBe(0);

      // Then the server holds the position after the seek (or later, from playback past it), never the one before
      const server = seconds((await scene.client.getUserData(itemId)).positionTicks);
      expect(server, `the seek landed at ${landed} s, the queue held ${before} s before it`).toBeGreaterThanOrEqual(landed - 2);
      expect(server).toBeLessThanOrEqual(shown + 15);
    }, 120_000);
  }
});

/**
 * The queue file holds one update for the item, a stop (not a progress) at the position the
 * screen showed when reelterm was ended; once the server is back, `reelterm sync` delivers it
 * and the server holds that position.
 */
async function expectStopQueuedThenSynced(scene: Awaited<ReturnType<typeof playing>>, seek: Awaited<ReturnType<typeof seekFarAhead>>, shown: number): Promise<void> {
  const ops = (await queuedOps(scene.queueFile)).filter((op) => op.itemId === seek.itemId);
  const queued = ops.map((op) => `${op.kind} at ${seconds(op.payload.positionTicks ?? 0)} s`);
  expect(ops.map((op) => op.kind), `queued: ${queued.join(', ')} (the screen showed ${shown} s; the seek landed at ${seek.landed} s, from ${seek.before} s)`).toEqual(['stopped']);
  const stop = seconds(ops[0]!.payload.positionTicks!);
  expect(stop).toBeGreaterThanOrEqual(shown - 2);
  expect(stop).toBeLessThanOrEqual(shown + 15);

  await scene.server.faults.online();
  const sync = await runCli(['sync'], { home: scene.home });
  expect(sync.stdout, sync.stderr).toBe(`Synced 1 update to ${scene.server.url}.\n`);
  expect(seconds((await scene.client.getUserData(seek.itemId)).positionTicks)).toBe(stop);
}

describe.each(['SIGTERM', 'SIGHUP', 'Ctrl+C', 'Ctrl+C twice'] as const)('%s during playback, within seconds of a seek', (how) => {
  it('stops mpv, queues a stop at the position on screen, restores the terminal, and the server ends there', async () => {
    // Given an episode playing, a seek far ahead that the server has applied, then the server out of reach
    const scene = await playing();
    const seek = await seekFarAhead(scene);
    await scene.server.faults.offline();
    // (paused, so the position on screen is the position, however slowly a busy machine gets to the signal)
    await scene.term.keys('Space');
    const shown = shownPosition(await scene.term.waitFor(/❚❚ Paused/));

    // When reelterm gets the signal (or the user types Ctrl+C in the TUI, once or twice in a row)
    await end(scene, how);

    // Then mpv is gone, and the terminal is back as it was (cooked, echoing, main screen) after a normal exit
    await eventually(async () => expect(await mpvProcessesWith(scene.home)).toEqual([]), 10_000);
    const screen = await scene.term.waitFor(/reelterm exited/, 10_000);
    expect(screen).toContain(`reelterm exited ${{ SIGTERM: 143, SIGHUP: 129, 'Ctrl+C': 130, 'Ctrl+C twice': 130 }[how]}; tty: icanon echo`);
    expect(screen).not.toMatch(/Playing|Synced|Syncing|Offline/);
    // And the queue file holds a stop at the position the viewer left, nothing older; the server ends there
    await expectStopQueuedThenSynced(scene, seek, shown);
  }, 120_000);
});

describe('closing the terminal during playback, within seconds of a seek', () => {
  it('still queues the stop at the position on screen, and mpv goes', async () => {
    // Given an episode playing, a seek far ahead that the server has applied, then the server out of reach
    const scene = await playing();
    const seek = await seekFarAhead(scene);
    await scene.server.faults.offline();
    // (paused, so the position on screen is the position, however slowly a busy machine gets to the signal)
    await scene.term.keys('Space');
    const shown = shownPosition(await scene.term.waitFor(/❚❚ Paused/));

    // When the terminal goes away (the window closed, the ssh connection dropped): SIGHUP, and nothing can be drawn
    await end(scene, 'close the terminal');

    // Then mpv is gone, and the queue file holds a stop at the position the viewer left; the server ends there
    await eventually(async () => expect(await mpvProcessesWith(scene.home)).toEqual([]), 10_000);
    await expectStopQueuedThenSynced(scene, seek, shown);
  }, 120_000);
});
