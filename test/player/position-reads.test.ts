import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Player, type MpvEvent, type MpvIpc, type PlayerEvent } from '../../src/player/index.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 30 s film at 24 frames a second, as a real one is (the demo clip has one frame a second). */
async function film(): Promise<string> {
  const path = join(await tempDir(), 'film.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x36:rate=24:duration=30', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '24', path]);
  return path;
}

describe.skipIf(!hasMpv || !hasFfmpeg)('the position while a 24 fps film plays', () => {
  it('is read from mpv about once a second, not sent by mpv on every frame (the CPU it took), and is exact where a pause stopped', async () => {
    // Given a 24 fps film playing
    const player = await Player.launch({ url: await film(), title: 'Film', tickIntervalMs: 200, extraArgs: ['--vo=null', '--ao=null'] });
    onTestFinished(async () => {
      await player.stop();
    });
    const events: PlayerEvent[] = [];
    player.subscribe((event) => events.push(event));
    // (what mpv sends on its own over the IPC: with the position followed, a message a frame)
    const fromMpv: MpvEvent[] = [];
    (player as unknown as { ipc: MpvIpc }).ipc.on('event', (event) => fromMpv.push(event));
    await eventually(() => expect(events.some((event) => event.type === 'tick')).toBe(true), 10_000);

    // When it plays for 3 s
    fromMpv.length = 0;
    const before = player.state().positionSeconds;
    await sleep(3000);

    // Then mpv sent a handful of messages, not 72 (24 a second) ...
    const changes = fromMpv.filter((event) => event.event === 'property-change');
    expect(changes.length).toBeLessThan(10);
    // ... and the position still moved on, with ticks saying so
    expect(player.state().positionSeconds).toBeGreaterThan(before);
    const ticks = events.filter((event): event is Extract<PlayerEvent, { type: 'tick' }> => event.type === 'tick');
    expect(new Set(ticks.map((tick) => tick.positionSeconds)).size).toBeGreaterThan(1);

    // When it is paused
    await player.pause();
    // Then the position is where mpv stopped, to the frame (not up to a second before)
    const paused = Number(await player.getProperty('time-pos'));
    await eventually(() => expect(player.state().positionSeconds).toBe(paused), 5000);
    // and a stop now ends there
    await player.stop();
    const end = await player.ended;
    expect(end.positionSeconds).toBe(paused);
  });

  it('follows a faster speed: at --speed=8 it is read eight times as often', async () => {
    // Given the film at 8× (a test, or a user skimming): a second-old read would be 8 s behind
    const player = await Player.launch({ url: await film(), title: 'Film', tickIntervalMs: 100, extraArgs: ['--vo=null', '--ao=null', '--speed=8'] });
    onTestFinished(async () => {
      await player.stop();
    });
    const positions: number[] = [];
    player.subscribe((event) => {
      if (event.type === 'tick') positions.push(event.positionSeconds);
    });
    // When it plays a few seconds of film
    await eventually(() => expect(positions.length).toBeGreaterThan(6), 10_000);
    // Then the ticks are less than 8 s of film apart (one read a second would put them 8 s apart)
    const steps = positions.slice(1).map((position, i) => position - positions[i]!).filter((step) => step > 0);
    expect(steps.length).toBeGreaterThan(3);
    expect(Math.min(...steps)).toBeLessThan(4);
  });
});
