import { spawnSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Player, type PlayerEvent } from '../../src/player/index.js';
import { tempDir } from '../helpers/temp-home.js';
import { mpvProcessesWith } from '../helpers/terminal.js';
import { eventually, isRunning, within } from '../helpers/wait.js';

const CLIP = fileURLToPath(new URL('../../assets/demo/clip.mp4', import.meta.url));
const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * The real mpv on the demo clip, started through `script` (a shell script standing where mpv is
 * looked for, as a distribution's or a sandbox's wrapper does); mpv's processes are found by the
 * private REELTERM_HOME they inherit. Plays until the first tick.
 */
async function playThrough(script: string) {
  const home = await tempDir();
  const mpvPath = join(home, 'mpv-wrapper');
  await writeFile(mpvPath, `#!/bin/sh\n${script}\n`);
  await chmod(mpvPath, 0o755);
  const player = await Player.launch({ url: CLIP, title: 'Demo clip', startSeconds: 10, mpvPath, env: { ...process.env, REELTERM_HOME: home }, extraArgs: ['--vo=null', '--ao=null'] });
  onTestFinished(async () => {
    await player.stop();
  });
  const events: PlayerEvent[] = [];
  player.subscribe((event) => events.push(event));
  await eventually(() => expect(events.some((event) => event.type === 'tick')).toBe(true), 10_000);
  expect(await mpvProcessesWith(home)).not.toEqual([]);
  return { player, events, home };
}

describe.skipIf(!hasMpv)('a stop ends mpv with SIGTERM (issue 19)', () => {
  it('leaves no mpv behind when mpv runs under a wrapper that does not exec it', async () => {
    // Pins: SIGTERM reaches only the process reelterm started; a wrapper that runs mpv as its
    // child dies of it and mpv lives on, until reelterm closes the IPC mpv holds (mpv quits when
    // its --input-ipc-client connection closes). The stop is a stop, and no mpv is left.
    const { player, events, home } = await playThrough('mpv "$@"; exit $?');
    await player.stop();
    await expect(player.ended).resolves.toMatchObject({ reason: 'stop' });
    await eventually(async () => expect(await mpvProcessesWith(home)).toEqual([]), 10_000);
    expect(events.filter((event) => event.type === 'end')).toHaveLength(1);
  });

  it('kills an mpv that ignores SIGTERM after the grace period, and reports the stop, not a crash', async () => {
    // Pins: the SIGKILL after the grace still follows the SIGTERM; the end was said (a stop, at
    // the position the viewer saw) before mpv went, and the kill does not turn it into a crash.
    const { player, events, home } = await playThrough(`trap '' TERM\nexec mpv "$@"`);
    const at = player.state().positionSeconds;
    await within(player.stop(), 15_000, 'the stop of an mpv deaf to SIGTERM');
    const end = await player.ended;
    expect(end).toMatchObject({ reason: 'stop' });
    expect(end.positionSeconds).toBeGreaterThanOrEqual(at);
    expect(isRunning(player.pid)).toBe(false);
    expect(await mpvProcessesWith(home)).toEqual([]);
    expect(events.filter((event) => event.type === 'end')).toHaveLength(1);
  });
});
