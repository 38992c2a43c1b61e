import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLIP_RUNTIME_TICKS, EXTERNAL_SUBTITLE_INDEX, locateClip, startDemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw } from '../helpers/demo-http.js';
import { tempDir } from '../helpers/temp-home.js';

const server = useDemoServer();
const clip = locateClip();
const bytes = readFileSync(clip.path);

function streamUrl(suffix = 'stream'): string {
  const id = server().library.first('Movie').id;
  return `${server().url}/Videos/${id}/${suffix}?static=true&MediaSourceId=${id}`;
}

describe('the video stream', () => {
  it('serves the whole clip anonymously, like the real stream action', async () => {
    const reply = await fetch(streamUrl());
    expect(reply.status).toBe(200);
    expect(reply.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await reply.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('answers a Range request with 206 and exactly those bytes', async () => {
    const reply = await fetch(streamUrl('stream.mp4'), { headers: { range: 'bytes=1000-1999' } });
    expect(reply.status).toBe(206);
    expect(reply.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(Buffer.from(await reply.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
  });

  it('answers open-ended and suffix ranges', async () => {
    const open = await fetch(streamUrl(), { headers: { range: `bytes=${bytes.length - 10}-` } });
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const suffix = await fetch(streamUrl(), { headers: { range: 'bytes=-4' } });
    expect(suffix.headers.get('content-range')).toBe(`bytes ${bytes.length - 4}-${bytes.length - 1}/${bytes.length}`);
  });

  it('answers 416 for a range past the end', async () => {
    const reply = await fetch(streamUrl(), { headers: { range: `bytes=${bytes.length}-` } });
    expect(reply.status).toBe(416);
    expect(reply.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('answers HEAD with the length and no body', async () => {
    const reply = await fetch(streamUrl(), { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-length')).toBe(String(bytes.length));
    expect((await reply.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 404 for an unknown item', async () => {
    expect((await fetch(`${server().url}/Videos/0123456789abcdef0123456789abcdef/stream?static=true`)).status).toBe(404);
  });
});

describe('the demo clip', () => {
  it('is small, and lasts exactly the RunTimeTicks every video reports', () => {
    expect(bytes.length).toBeLessThan(400 * 1024);
    const seconds = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', clip.path], { encoding: 'utf8' }));
    expect(Math.round(seconds * 10_000_000)).toBe(CLIP_RUNTIME_TICKS);
  });

  it('is longer than the server\'s 300 s MinResumeDurationSeconds', () => {
    expect(CLIP_RUNTIME_TICKS / 10_000_000).toBeGreaterThan(300);
  });
});

describe('the clip option', () => {
  it('streams the given file instead of the demo clip, with the subtitle files beside it', async () => {
    // Given a folder as make-clip.sh leaves it with CLIP_DIR: another media file and its .srt files
    const dir = await tempDir();
    const film = Buffer.alloc(54_321, 'not the demo clip; ');
    const german = '1\n00:00:01,000 --> 00:00:02,000\nUntertitel neben dem Film\n\n';
    await writeFile(join(dir, 'film.mp4'), film);
    for (const lang of ['eng', 'spa']) await writeFile(join(dir, `subtitles.${lang}.srt`), '');
    await writeFile(join(dir, 'subtitles.ger.srt'), german);
    // When a server streams it
    const server = await startDemoServer({ adminPort: false, clip: join(dir, 'film.mp4') });
    onTestFinished(() => server.close());
    const id = server.library.first('Movie').id;
    const reply = await fetch(`${server.url}/Videos/${id}/stream?static=true&MediaSourceId=${id}`);
    // Then every byte is the file's, and the external subtitle is the one beside it
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-length')).toBe(String(film.length));
    expect(Buffer.from(await reply.arrayBuffer()).equals(film)).toBe(true);
    expect((await raw(server, 'GET', `/Videos/${id}/${id}/Subtitles/${EXTERNAL_SUBTITLE_INDEX}/Stream.srt`)).text).toBe(german);
  });

  it('refuses a file without the subtitle files beside it, naming them', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'film.mp4'), 'a film');
    await expect(startDemoServer({ adminPort: false, clip: join(dir, 'film.mp4') })).rejects.toThrow(join(dir, 'subtitles.ger.srt'));
  });
});
