import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  killAllPlayers,
  livePlayerCount,
  MpvNotFoundError,
  MpvStartError,
  Player,
  type MpvIpc,
  type PlayerEvent,
  type PlayerOptions,
} from '../../src/player/index.js';
import { tempDir } from '../helpers/temp-home.js';
import { isRunning, within } from '../helpers/wait.js';

const CLIP = fileURLToPath(new URL('../../assets/demo/clip.mp4', import.meta.url));
const hasMpv = spawnSync('mpv', ['--version'], { stdio: 'ignore' }).status === 0;
const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
/** No window, no sound: the tests run headless. */
const HEADLESS = ['--vo=null', '--ao=null'];

type Recorded = PlayerEvent & { at: number };

/** Launches mpv on the demo clip; the player is stopped after the test whatever happens. */
async function launchClip(options: Partial<PlayerOptions> & { speed?: number } = {}): Promise<{ player: Player; events: Recorded[] }> {
  const { speed, ...rest } = options;
  const player = await Player.launch({
    url: CLIP,
    title: 'Demo clip',
    tickIntervalMs: 200,
    ...rest,
    extraArgs: [...HEADLESS, ...(speed !== undefined ? [`--speed=${speed}`] : []), ...(rest.extraArgs ?? [])],
  });
  onTestFinished(async () => {
    await player.stop();
  });
  const events: Recorded[] = [];
  player.subscribe((event) => events.push({ ...event, at: Date.now() }));
  return { player, events };
}

/** Polls until `find` returns something, or fails after `timeoutMs`. */
async function waitFor<T>(find: () => T | undefined, timeoutMs = 5000, what = 'the event'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function ofType<K extends PlayerEvent['type']>(events: Recorded[], type: K): Array<Extract<PlayerEvent, { type: K }> & { at: number }> {
  return events.filter((event): event is Extract<PlayerEvent, { type: K }> & { at: number } => event.type === type);
}


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A stand-in for the Jellyfin stream endpoint: serves the clip (with byte ranges), and a
 * subtitle file at any path ending in `.srt`; records request headers.
 */
async function clipServer(): Promise<{ url: string; requests: IncomingHttpHeaders[] }> {
  const size = statSync(CLIP).size;
  const requests: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.headers);
    if (request.url?.endsWith('.srt')) {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('1\n00:00:01,000 --> 00:09:59,000\nHallo\n');
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Number(range[2]) : size - 1;
    response.writeHead(range ? 206 : 200, {
      'content-type': 'video/mp4',
      'content-length': end - start + 1,
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    });
    createReadStream(CLIP, { start, end }).pipe(response);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/Videos/4f2a/stream?static=true&MediaSourceId=4f2a`, requests };
}

describe('a missing mpv', () => {
  it('says mpv is not installed and how to get it', async () => {
    const attempt = Player.launch({ mpvPath: '/nonexistent/mpv', url: CLIP, title: 'x' });
    await expect(attempt).rejects.toBeInstanceOf(MpvNotFoundError);
    await expect(Player.launch({ mpvPath: '/nonexistent/mpv', url: CLIP, title: 'x' })).rejects.toThrow(
      "mpv is not installed or not on PATH (looked for '/nonexistent/mpv'). Install it: `sudo apt install mpv`",
    );
  });
});

describe.skipIf(!hasMpv)('playing with a real mpv', () => {
  it('plays to the end: throttled, rising ticks, then one end "eof" near 600 s, and mpv is gone', async () => {
    // Given the clip starts near its end at 50x speed (60 s of media in about 1.2 s)
    const started = Date.now();
    const { player, events } = await launchClip({ startSeconds: 540, speed: 50, tickIntervalMs: 100 });

    // When it plays out
    const end = await player.ended;
    const elapsed = Date.now() - started;
    await sleep(100);

    // Then there is one end, at the end of the file
    expect(ofType(events, 'end')).toEqual([expect.objectContaining({ type: 'end', reason: 'eof', durationSeconds: 600 })]);
    expect(end.positionSeconds).toBeGreaterThanOrEqual(595);
    expect(end.positionSeconds).toBeLessThanOrEqual(600);
    // and the ticks came at most once per interval, not at mpv's rate, always moving forward
    const ticks = ofType(events, 'tick');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    for (let i = 1; i < ticks.length; i++) {
      expect(ticks[i]!.positionSeconds).toBeGreaterThan(ticks[i - 1]!.positionSeconds);
      expect(ticks[i]!.at - ticks[i - 1]!.at).toBeGreaterThanOrEqual(95);
    }
    // (at 50x, 100 ms of a busy machine is 5 s of media: the exact start is checked at 1x below)
    expect(ticks[0]!.positionSeconds).toBeGreaterThanOrEqual(539);
    expect(ticks[0]!.positionSeconds).toBeLessThanOrEqual(546);
    // and mpv quits by itself
    await waitFor(() => (isRunning(player.pid) ? undefined : true), 3000, 'mpv to exit');
  });

  it('starts at the saved position, and pause, resume and seeks report where the viewer is', async () => {
    // Given playback resumed at 5:00
    const { player, events } = await launchClip({ startSeconds: 300 });
    const first = await waitFor(() => ofType(events, 'tick')[0], 5000, 'the first tick');
    expect(first.positionSeconds).toBeGreaterThanOrEqual(299);
    expect(first.positionSeconds).toBeLessThanOrEqual(301);
    expect(first).toMatchObject({ durationSeconds: 600, paused: false });

    // When the viewer pauses
    await player.pause();
    const pause = await waitFor(() => ofType(events, 'pause')[0]);
    expect(pause.positionSeconds).toBeGreaterThanOrEqual(300);
    expect(pause.positionSeconds).toBeLessThan(303);
    expect(player.state()).toMatchObject({ paused: true, title: 'Demo clip', ended: false });
    // the position holds while paused
    await sleep(1100);
    expect(player.state().positionSeconds).toBeCloseTo(pause.positionSeconds, 1);

    // When they resume
    await player.resume();
    const resume = await waitFor(() => ofType(events, 'resume')[0]);
    expect(resume.positionSeconds).toBeCloseTo(pause.positionSeconds, 1);

    // When they skip a minute ahead, then jump to 1:40
    await player.seek(60, 'relative');
    const forward = await waitFor(() => ofType(events, 'seek')[0]);
    expect(forward.positionSeconds).toBeGreaterThanOrEqual(pause.positionSeconds + 55);
    expect(forward.positionSeconds).toBeLessThanOrEqual(pause.positionSeconds + 65);
    await player.seek(100, 'absolute');
    const jump = await waitFor(() => ofType(events, 'seek')[1]);
    expect(jump.positionSeconds).toBeGreaterThanOrEqual(99);
    expect(jump.positionSeconds).toBeLessThanOrEqual(101);

    // Then toggling pauses again, and ticks after the jump carry the new position
    await player.togglePause();
    const second = await waitFor(() => ofType(events, 'pause')[1]);
    expect(second.positionSeconds).toBeGreaterThanOrEqual(99);
    expect(second.positionSeconds).toBeLessThan(104);
    // and the seek to the start position was not reported as a seek of the viewer's
    expect(ofType(events, 'seek')).toHaveLength(2);
    expect(ofType(events, 'end')).toHaveLength(0);
  });

  it('shows a hostile title verbatim and runs nothing from it', async () => {
    // Given a title built to break out of quoting in a shell, in mpv's input.conf syntax, and in JSON
    const dir = await tempDir();
    const first = join(dir, 'pwned-1');
    const second = join(dir, 'pwned-2');
    const title = `$(touch ${first})"; run "sh" "-c" "touch ${second}\n\`touch ${first}\` '; quit; ' \\" }{ \u00e9\u{1f3ac}`;

    // When mpv plays it
    const { player, events } = await launchClip({ title });
    await waitFor(() => ofType(events, 'tick')[0]);

    // Then mpv shows exactly that title, and nothing ran
    expect(await player.getProperty('media-title')).toBe(title);
    expect(existsSync(first)).toBe(false);
    expect(existsSync(second)).toBe(false);
    // and the title is not on mpv's command line
    expect(readFileSync(`/proc/${player.pid}/cmdline`, 'utf8')).not.toContain('pwned');
  });

  it('sends the token as a header the server receives, never on the command line', async () => {
    // Given a server that records what it receives, and a secret token
    const server = await clipServer();
    const token = `secret-${Math.random().toString(36).slice(2)}`;
    const header = `Authorization: MediaBrowser Client="reelterm", Device="term", DeviceId="d1", Version="0.1.0", Token="${token}"`;

    // When mpv streams from it
    const { player, events } = await launchClip({ url: server.url, httpHeaders: [header], startSeconds: 30 });
    const first = await waitFor(() => ofType(events, 'tick')[0], 5000, 'playback over HTTP');
    expect(first.positionSeconds).toBeGreaterThanOrEqual(29);

    // Then the server got the whole header, commas and quotes intact
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests[0]!.authorization).toBe(header.slice('Authorization: '.length));
    // and no other process can read it from mpv's arguments
    const cmdline = readFileSync(`/proc/${player.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('--input-ipc-client=fd://3');
    expect(cmdline).not.toContain(token);
    expect(cmdline).not.toContain('127.0.0.1');
    const ps = execFileSync('ps', ['-o', 'args=', '-p', String(player.pid)], { encoding: 'utf8' });
    expect(ps).toContain('mpv');
    expect(ps).not.toContain(token);
    // nor from its environment
    expect(readFileSync(`/proc/${player.pid}/environ`, 'utf8')).not.toContain(token);
  });

  it.skipIf(!hasOpenssl)('never sends the token to an https server whose certificate does not check out', async () => {
    // Given an https server with a self-signed certificate (mpv's own default would not check it)
    const dir = await tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const requests: IncomingHttpHeaders[] = [];
    const server = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (request, response) => {
      requests.push(request.headers);
      response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': statSync(CLIP).size });
      createReadStream(CLIP).pipe(response);
    });
    server.on('tlsClientError', () => undefined);
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    onTestFinished(() => {
      server.closeAllConnections();
      server.close();
    });
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/Videos/1/stream`;
    const header = 'Authorization: MediaBrowser Client="reelterm", Token="tls-secret"';

    // When mpv is pointed at it with the default settings
    const checked = await launchClip({ url, httpHeaders: [header] });

    // Then it refuses to play and the server never saw a request
    await expect(checked.player.ended).resolves.toMatchObject({ reason: 'error' });
    expect(requests).toHaveLength(0);

    // When the user has turned certificate checks off for their self-signed server
    const unchecked = await launchClip({ url, httpHeaders: [header], tlsVerify: false });
    await waitFor(() => ofType(unchecked.events, 'tick')[0], 5000, 'playback over https');

    // Then it plays, and the header arrives
    expect(requests[0]?.authorization).toBe('MediaBrowser Client="reelterm", Token="tls-secret"');
  });

  it('reports a crash (kill -9) once, with the last known position, without hanging', async () => {
    // Given playback under way past 1:40
    const { player, events } = await launchClip({ startSeconds: 100, speed: 4 });
    const moving = await waitFor(() => ofType(events, 'tick').find((tick) => tick.positionSeconds > 101), 5000, 'playback to move');

    // When mpv is killed
    process.kill(player.pid, 'SIGKILL');

    // Then playback ends as a crash (without hanging), at the last position mpv reported
    const end = await within(player.ended, 15_000, 'playback to end after mpv was killed');
    expect(end.reason).toBe('crash');
    expect(end.positionSeconds).toBeGreaterThanOrEqual(moving.positionSeconds);
    expect(end.positionSeconds).toBeLessThan(moving.positionSeconds + 10);
    // and exactly once; controls are now harmless no-ops
    await player.togglePause();
    await player.seek(10, 'relative');
    await sleep(200);
    expect(ofType(events, 'end')).toHaveLength(1);
  });

  it('stop() ends with "stop" and mpv is gone', async () => {
    const { player, events } = await launchClip({ startSeconds: 200 });
    await waitFor(() => ofType(events, 'tick')[0]);

    await player.stop();
    const end = await within(player.ended, 15_000, 'playback to end after stop()');

    expect(end).toMatchObject({ type: 'end', reason: 'stop', durationSeconds: 600 });
    expect(end.positionSeconds).toBeGreaterThanOrEqual(200);
    expect(isRunning(player.pid)).toBe(false);
    await sleep(100);
    expect(ofType(events, 'end')).toHaveLength(1);
  });

  it('reports "quit" when the viewer closes mpv themselves', async () => {
    // Given playback under way
    const { player, events } = await launchClip({ startSeconds: 60 });
    await waitFor(() => ofType(events, 'tick')[0]);

    // When the viewer presses q in mpv's window (the same quit as closing it)
    await (player as unknown as { ipc: MpvIpc }).ipc.command(['keypress', 'q']);

    // Then playback ends as a quit and mpv is gone
    const end = await player.ended;
    expect(end).toMatchObject({ reason: 'quit' });
    expect(end.positionSeconds).toBeGreaterThanOrEqual(60);
    await waitFor(() => (isRunning(player.pid) ? undefined : true), 3000, 'mpv to exit');
  });

  it('reports "quit" when mpv is terminated politely (SIGTERM)', async () => {
    const { player, events } = await launchClip({ startSeconds: 60 });
    await waitFor(() => ofType(events, 'tick')[0]);
    process.kill(player.pid, 'SIGTERM');
    await expect(player.ended).resolves.toMatchObject({ reason: 'quit' });
  });

  it('ends with "error" and a sentence saying why when the stream cannot be opened', async () => {
    // Given a server address where nothing listens
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    // When mpv is asked to play from it
    const { player, events } = await launchClip({ url: `http://127.0.0.1:${port}/Videos/1/stream` });

    // Then the playback ends as an error the user can read, and mpv is gone
    const end = await player.ended;
    expect(end.reason).toBe('error');
    expect(player.state().error).toBe('Could not reach the server to play this: it refused the connection (is it running?)');
    expect(ofType(events, 'end')).toHaveLength(1);
    await waitFor(() => (isRunning(player.pid) ? undefined : true), 3000, 'mpv to exit');
  });

  it('says what mpv said when it refuses to start (a bad extra argument)', async () => {
    const attempt = Player.launch({ url: CLIP, title: 'x', extraArgs: [...HEADLESS, '--no-such-option=1'] });
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MpvStartError);
    expect((error as Error).message).toMatch(/exited with code 1 before it was ready: .*no-such-option/);
  });

  it('stops when the abort signal fires, and killAllPlayers leaves no mpv behind', async () => {
    // Given two playbacks, one tied to an abort signal
    const controller = new AbortController();
    const a = await launchClip({ signal: controller.signal });
    const b = await launchClip();
    await waitFor(() => ofType(a.events, 'tick')[0]);
    await waitFor(() => ofType(b.events, 'tick')[0]);
    expect(livePlayerCount()).toBeGreaterThanOrEqual(2);

    // When the signal fires, the first one stops
    controller.abort();
    await expect(a.player.ended).resolves.toMatchObject({ reason: 'stop' });

    // When reelterm exits, every remaining mpv is killed at once
    expect(process.listeners('exit')).toContain(killAllPlayers);
    killAllPlayers();
    await expect(b.player.ended).resolves.toMatchObject({ reason: 'crash' });
    await waitFor(() => (livePlayerCount() === 0 ? true : undefined), 3000, 'no live mpv');
    expect(isRunning(a.player.pid)).toBe(false);
    expect(isRunning(b.player.pid)).toBe(false);
  });

  it('cancels a launch when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(Player.launch({ url: CLIP, title: 'x', signal: controller.signal, extraArgs: HEADLESS })).rejects.toThrow(/abort/i);
  });
});

describe.skipIf(!hasMpv)('a playlist in one mpv (continuous play)', () => {
  it('moves from file to file: each ends with its own position, then one end after the last', async () => {
    // Given three files, each started 6 s before its end, at 20x
    const { player, events } = await launchClip({
      startSeconds: 594,
      speed: 20,
      title: 'One',
      next: [
        { url: CLIP, title: 'Two', startSeconds: 594 },
        { url: CLIP, title: 'Three', startSeconds: 594 },
      ],
    });

    // When they play out
    const end = await player.ended;
    await sleep(100);

    // Then each move to the next file says the previous one reached its end, in order
    const moves = ofType(events, 'next');
    expect(moves.map((move) => [move.index, move.reason])).toEqual([
      [1, 'eof'],
      [2, 'eof'],
    ]);
    for (const move of moves) expect(move.positionSeconds).toBeGreaterThanOrEqual(594);
    // and every file started at its own start, not at 0 and not where the last one ended
    const firstTicks = [0, ...moves.map((move) => events.indexOf(move))].map((from) => events.slice(from).find((event) => event.type === 'tick'));
    for (const tick of firstTicks) expect(tick).toMatchObject({ type: 'tick' });
    for (const tick of firstTicks) expect((tick as { positionSeconds: number }).positionSeconds).toBeGreaterThanOrEqual(593);
    // and the playback ends once, after the last file, with mpv gone
    expect(ofType(events, 'end')).toHaveLength(1);
    expect(end).toMatchObject({ reason: 'eof' });
    expect(player.index).toBe(2);
    await waitFor(() => (isRunning(player.pid) ? undefined : true), 3000, 'mpv to exit');
  });

  it('skips forward and back on request, reporting where the skipped file was left', async () => {
    // Given two files playing at normal speed, the first from 1:40
    const { player, events } = await launchClip({ startSeconds: 100, title: 'One', next: [{ url: CLIP, title: 'Two' }] });
    await waitFor(() => ofType(events, 'tick')[0], 5000, 'the first tick');

    // When the viewer skips to the next file
    expect(await player.next()).toBe(true);
    const forward = await waitFor(() => ofType(events, 'next')[0], 5000, 'the move forward');

    // Then the first file is reported left at about 1:40, and the second plays from the start
    expect(forward).toMatchObject({ index: 1, reason: 'skip' });
    expect(forward.positionSeconds).toBeGreaterThanOrEqual(99);
    expect(forward.positionSeconds).toBeLessThan(105);
    const tick = await waitFor(() => events.slice(events.indexOf(forward)).find((event) => event.type === 'tick'), 5000, 'a tick of the second file');
    expect((tick as { positionSeconds: number }).positionSeconds).toBeLessThan(5);
    expect(player.state().title).toBe('Two');
    expect(await player.getProperty('media-title')).toBe('Two');
    // and there is nothing after the last file to skip to
    expect(await player.next()).toBe(false);

    // When the viewer goes back
    expect(await player.previous()).toBe(true);
    const back = await waitFor(() => ofType(events, 'next')[1], 5000, 'the move back');
    expect(back).toMatchObject({ index: 0, reason: 'skip' });
    expect(player.index).toBe(0);
    expect(ofType(events, 'end')).toHaveLength(0);
  });

  it('adds external subtitles and selects the tracks asked for, reporting the selection', async () => {
    // Given a subtitle file beside the clip, asked for by URL
    const dir = await tempDir();
    const srt = join(dir, 'de.srt');
    await import('node:fs/promises').then((fs) => fs.writeFile(srt, '1\n00:00:01,000 --> 00:09:59,000\nHallo\n'));
    const { player, events } = await launchClip({ subtitleFiles: [{ url: srt, title: 'Deutsch', lang: 'ger' }], subtitle: { url: srt }, audio: { embedded: 1 } });

    // When the file has loaded, mpv plays what was asked: the second audio track (French), and the
    // external subtitle rather than the file's own default (English)
    const selected = await waitFor(() => ofType(events, 'tracks').find((event) => event.subtitle !== null && 'url' in event.subtitle), 5000, 'the subtitle selection');
    expect(selected).toMatchObject({ audio: { embedded: 1 }, subtitle: { url: srt } });
    expect(await player.getProperty('aid')).toBe(2);
    const external = player.trackList().find((track) => track.type === 'sub' && track.ref !== undefined && 'url' in track.ref);
    expect(external).toMatchObject({ lang: 'ger', title: 'Deutsch', selected: true });
    expect(await player.getProperty('sid')).toBe(external!.id);

    // When subtitles are turned off
    await player.selectTrack('subtitle', null);
    await waitFor(() => (ofType(events, 'tracks').at(-1)?.subtitle === null ? true : undefined), 5000, 'subtitles off');
    expect(await player.getProperty('sid')).toBe(false);
    // and a track the file does not have is refused without changing anything
    expect(await player.selectTrack('audio', { embedded: 9 })).toBe(false);

    // When the same tracks come again for the playing file (the server's details, asked again, answered late)
    player.configureEntry(0, { subtitleFiles: [{ url: srt, title: 'Deutsch', lang: 'ger' }], subtitle: { url: srt } });
    await waitFor(() => (ofType(events, 'tracks').at(-1)?.subtitle !== null ? true : undefined), 5000, 'the subtitle selected again');
    // Then mpv still has the subtitle file once, not twice (c would meet "Deutsch" two times)
    const files = (await player.getProperty('track-list')) as Array<{ type: string; external?: boolean }>;
    expect(files.filter((track) => track.type === 'sub' && track.external === true)).toHaveLength(1);
  });
});

describe.skipIf(!hasMpv)('tracks set up as each file of a network playlist loads', () => {
  it('never leave mpv stuck seeking: every file plays to its end, on the tracks asked for', async () => {
    // Given twelve files over HTTP, each started near its end (mpv seeks there as it loads), each
    // with a subtitle file to add and tracks to select that differ from the file before's
    // (mpv 0.35 switching tracks during that seek stayed seeking for good, about 1 in 20 times)
    const server = await clipServer();
    const entry = (index: number) => ({
      url: server.url,
      title: `Episode ${index + 1}`,
      // (the last one from further back, so that its tracks are set well before its end)
      startSeconds: index === 11 ? 590 : 597,
      subtitleFiles: [{ url: `${server.url}&file=${index}.srt`, title: 'Deutsch', lang: 'ger' }],
      audio: { embedded: index % 2 },
      subtitle: { embedded: (index + 1) % 2 },
    });
    const { player, events } = await launchClip({ ...entry(0), speed: 2, next: Array.from({ length: 11 }, (_, index) => entry(index + 1)) });

    // When they play out, then every file was played through, in order, and the playback ended at the last one's end
    const end = await within(player.ended, 90_000, 'the last file to end');
    expect(end).toMatchObject({ reason: 'eof' });
    expect(ofType(events, 'next').map((move) => [move.index, move.reason])).toEqual(Array.from({ length: 11 }, (_, index) => [index + 1, 'eof']));
    // and the last file played the tracks asked for it
    expect(ofType(events, 'tracks').at(-1)).toMatchObject({ audio: { embedded: 1 }, subtitle: { embedded: 0 } });
  }, 120_000);
});

describe.skipIf(!hasMpv)('a track chosen while the file\'s tracks are still being set up', () => {
  it('stays chosen: the setup does not put back the track it was asked for', async () => {
    // Given a subtitle file that takes a second to fetch (a slow server), and the English subtitles asked for
    let asked = 0;
    const server: Server = createServer((_request, response) => {
      asked += 1;
      setTimeout(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('1\n00:00:01,000 --> 00:09:59,000\nHallo\n'), 1000);
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    onTestFinished(() => {
      server.closeAllConnections();
      server.close();
    });
    const srt = `http://127.0.0.1:${(server.address() as AddressInfo).port}/de.srt`;
    const { player, events } = await launchClip({ subtitleFiles: [{ url: srt, title: 'Deutsch', lang: 'ger' }], subtitle: { embedded: 0 } });
    // When the viewer presses c for Spanish while the German file is still being fetched
    await waitFor(() => (asked > 0 ? true : undefined), 10_000, 'the subtitle file asked for');
    expect(await player.selectTrack('subtitle', { embedded: 1 })).toBe(true);
    // Then, once the file is in, Spanish is still what plays
    await waitFor(() => player.trackList().find((track) => track.type === 'sub' && track.ref !== undefined && 'url' in track.ref), 10_000, 'the German file added');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ofType(events, 'tracks').at(-1)?.subtitle).toEqual({ embedded: 1 });
    expect(await player.getProperty('sid')).toBe(2);
  });
});

describe.skipIf(!hasMpv)('a stream that breaks off', () => {
  it('is not taken for the end of the film: the playback ends as an error at the real position, and no next file plays', async () => {
    // Given a server that sends only the first half of the file and then closes (a dropped connection)
    const size = statSync(CLIP).size;
    const half = Math.floor(size / 2);
    const server: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': half });
      createReadStream(CLIP, { start: 0, end: half - 1 }).pipe(response);
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    onTestFinished(() => {
      server.closeAllConnections();
      server.close();
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Videos/cut/stream`;
    const { player, events } = await launchClip({ url, speed: 50, next: [{ url: CLIP, title: 'Next' }] });

    // When mpv reaches the end of what it got
    const end = await player.ended;

    // Then it is an error well before the end, said in words, and the next file never started
    expect(end.reason).toBe('error');
    expect(end.positionSeconds).toBeLessThan(500);
    expect(end.error).toMatch(/^The stream broke off at \d+:\d\d of 10:00 \(the connection to the server was lost\?\)/);
    expect(ofType(events, 'next')).toHaveLength(0);
  });
});
