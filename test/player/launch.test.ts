import { describe, expect, it } from 'vitest';
import { isMpvTooOld, MpvStartError, MpvTooOldError, parseMpvVersion, Player } from '../../src/player/index.js';
import { tempDir } from '../helpers/temp-home.js';
import { writeFakeMpv } from './fake-mpv.js';
import { isRunning, within } from '../helpers/wait.js';

// These tests put a small stand-in in place of mpv (it speaks the IPC on fd 3 and records what it
// was told), to pin the launch contract and the failure paths a real mpv 0.35 cannot show.


async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('launching mpv', () => {
  it('puts nothing from the server on argv and sends title, header and start over IPC, loadfile last', async () => {
    // Given a stand-in that accepts everything
    const dir = await tempDir();
    const fake = await writeFakeMpv(dir);
    const header = 'Authorization: MediaBrowser Client="reelterm", Token="tok-123"';

    // When a playback of two files is launched with the user's extra arguments
    const player = await Player.launch({
      mpvPath: fake.path,
      env: fake.env('compliant'),
      url: 'https://jf.example/Videos/abc/stream?static=true',
      title: 'Film; quit, "now"',
      startSeconds: 540.25,
      httpHeaders: [header],
      extraArgs: ['--hwdec=auto', '--tls-verify=no'],
      next: [{ url: 'https://jf.example/Videos/def/stream?static=true', title: 'Part two' }],
    });
    await player.stop();
    const seen = await fake.seen();

    // Then argv holds only reelterm's fixed options, then the user's (so theirs win)
    expect(seen.argv).toContain('--input-ipc-client=fd://3');
    expect(seen.argv).toContain('--idle=yes');
    expect(seen.argv).toContain('--tls-verify=yes');
    expect(seen.argv.slice(-2)).toEqual(['--hwdec=auto', '--tls-verify=no']);
    expect(seen.argv.join(' ')).not.toMatch(/tok-123|jf\.example|Film/);
    // and the version is checked first, then the header, and the files are loaded last, each with
    // its own title and start as named arguments (whole strings, the same before and after mpv 0.38)
    expect(seen.commands[0]).toEqual(['get_property', 'mpv-version']);
    expect(seen.commands).toContainEqual(['set_property', 'http-header-fields', [header]]);
    for (const name of ['pause', 'duration', 'eof-reached', 'seeking', 'idle-active', 'track-list', 'speed']) {
      expect(seen.commands).toContainEqual(['observe_property', expect.any(Number), name]);
    }
    // (not the position, which mpv would report on every frame: it is read once a second)
    expect(seen.commands).not.toContainEqual(['observe_property', expect.any(Number), 'time-pos']);
    const load = seen.commands.findIndex((command) => !Array.isArray(command) && (command as { name: string }).name === 'loadfile');
    expect(seen.commands.slice(load)).toEqual([
      { name: 'loadfile', url: 'https://jf.example/Videos/abc/stream?static=true', flags: 'replace', options: { 'force-media-title': 'Film; quit, "now"', start: '540.25' } },
      { name: 'loadfile', url: 'https://jf.example/Videos/def/stream?static=true', flags: 'append', options: { 'force-media-title': 'Part two' } },
    ]);
    // and the stop ended mpv (a stop has its position: mpv is not waited for to wind down)
    expect(isRunning(seen.pid)).toBe(false);
  });

  it('refuses an mpv older than 0.33, with the install hint, and leaves no process', async () => {
    const dir = await tempDir();
    const fake = await writeFakeMpv(dir);
    const error = await Player.launch({ mpvPath: fake.path, env: fake.env('old'), url: 'x', title: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MpvTooOldError);
    expect((error as Error).message).toMatch(/mpv is too old: found mpv 0\.32\.0 .*needs mpv 0\.33 or newer\. Install it: `sudo apt install mpv`/);
    const seen = await fake.seen();
    expect(seen.commands).toEqual([['get_property', 'mpv-version']]);
    await waitUntil(() => !isRunning(seen.pid), 2000);
    expect(isRunning(seen.pid)).toBe(false);
  });

  it('recognises an mpv too old to know --input-ipc-client', async () => {
    const dir = await tempDir();
    const fake = await writeFakeMpv(dir);
    await expect(Player.launch({ mpvPath: fake.path, env: fake.env('no-ipc-client'), url: 'x', title: 'x' })).rejects.toBeInstanceOf(MpvTooOldError);
  });

  it('gives up on an mpv that never answers, within the launch timeout, and kills it', async () => {
    // Given an mpv that hangs
    const dir = await tempDir();
    const fake = await writeFakeMpv(dir);
    // When it is launched with a short bound
    const error = await within(
      Player.launch({ mpvPath: fake.path, env: fake.env('silent'), url: 'x', title: 'x', launchTimeoutMs: 800 }).catch((caught: unknown) => caught),
      15_000,
      'the launch of an mpv that never answers to give up',
    );

    // Then the launch fails in time with a clear message
    expect(error).toBeInstanceOf(MpvStartError);
    expect((error as Error).message).toMatch(/did not answer within/);
    // and the hung process is gone
    const seen = await fake.seen();
    expect(seen.commands.length).toBeGreaterThan(0);
    await waitUntil(() => !isRunning(seen.pid), 2000);
    expect(isRunning(seen.pid)).toBe(false);
  });
});

describe('mpv versions', () => {
  it('reads the version from what mpv reports', () => {
    expect(parseMpvVersion('mpv 0.35.1')).toEqual([0, 35, 1]);
    expect(parseMpvVersion('mpv v0.38.0-dirty')).toEqual([0, 38, 0]);
    expect(parseMpvVersion('mpv 0.35.1+ds1')).toEqual([0, 35, 1]);
    expect(parseMpvVersion('mpv git-2023-10-01-abcdef')).toBeUndefined();
  });

  it('accepts 0.33 and later, and builds that do not say', () => {
    expect(isMpvTooOld('mpv 0.32.0')).toBe(true);
    expect(isMpvTooOld('mpv 0.33.0')).toBe(false);
    expect(isMpvTooOld('mpv v0.40.0')).toBe(false);
    expect(isMpvTooOld('mpv 1.0.0')).toBe(false);
    expect(isMpvTooOld('mpv git-2023-10-01-abcdef')).toBe(false);
  });
});
