import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_INDEX_OFFSET, EXTERNAL_SUBTITLE_INDEX, locateClip } from '../../src/servers/jellyfin/demo/index.js';
import { CLIENT_HEADER, useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

const server = useDemoServer();
const clip = locateClip();
/** The external German SRT: Jellyfin numbers external streams before the file's own. */
const GERMAN = EXTERNAL_SUBTITLE_INDEX;
const german = readFileSync(join(dirname(clip.path), 'subtitles.ger.srt'), 'utf8');

function subtitlePath(index: number, tail = 'Stream.srt', itemId = server().library.first('Movie').id, sourceId = itemId): string {
  return `/Videos/${itemId}/${sourceId}/Subtitles/${index}/${tail}`;
}

async function deliveryUrl(index: number): Promise<string> {
  const token = await rawSignIn(server());
  const movie = server().library.first('Movie');
  const reply = await raw(server(), 'POST', `/Items/${movie.id}/PlaybackInfo`, { token, body: { DeviceProfile: { SubtitleProfiles: [{ Format: 'srt', Method: 'External' }] } } });
  return reply.json.MediaSources[0].MediaStreams.find((stream: { Index: number }) => stream.Index === index).DeliveryUrl as string;
}

describe('the external subtitle', () => {
  it('is served at its DeliveryUrl, and at the same path without the ApiKey, with the Authorization header or without any', async () => {
    // Given the URL PlaybackInfo hands out (it carries the token as ApiKey, as Jellyfin's does)
    const url = await deliveryUrl(GERMAN);
    expect(url).toMatch(/^\/Videos\/[0-9a-f-]{36}\/[0-9a-f]{32}\/Subtitles\/0\/0\/Stream\.srt\?ApiKey=[0-9a-f]{32}$/);
    const path = url.replace(/\?.*$/, '');
    // When it is fetched with the key, with only the Authorization header, and anonymously
    const token = await rawSignIn(server());
    const replies = [await raw(server(), 'GET', url), await raw(server(), 'GET', path, { token }), await raw(server(), 'GET', path)];
    // Then each answer is the German SRT, sent as Jellyfin types .srt
    for (const reply of replies) {
      expect(reply).toMatchObject({ status: 200, contentType: 'application/x-subrip', text: german });
    }
    expect(german).toContain('00:00:20,000 --> 00:00:26,000\nDeutscher Untertitel 1/10');
    expect(server().journal.find((entry) => entry.query.ApiKey !== undefined)?.query.ApiKey).toBe('[redacted]');
  });

  it('is the same SRT with or without a start position (Jellyfin sends a same-format file as stored)', async () => {
    const withTicks = await raw(server(), 'GET', subtitlePath(GERMAN, '3000000000/Stream.srt'));
    const without = await raw(server(), 'GET', subtitlePath(GERMAN));
    expect(withTicks.text).toBe(german);
    expect(without.text).toBe(german);
  });

  it('converts to WebVTT from the start position, shifted to it unless copyTimestamps', async () => {
    // Given the cue at 5:20-5:26 and a start at 5:00
    const shifted = await raw(server(), 'GET', subtitlePath(GERMAN, '3000000000/Stream.vtt'));
    const kept = await raw(server(), 'GET', `${subtitlePath(GERMAN, '3000000000/Stream.vtt')}?copyTimestamps=true`);
    const whole = await raw(server(), 'GET', subtitlePath(GERMAN, 'Stream.vtt'));
    // Then the cues before 5:00 are gone and the first one starts 20 s in (or at 5:20 when kept)
    expect(shifted.contentType).toBe('text/vtt');
    expect(shifted.text).toMatch(/^WEBVTT\n/);
    expect(shifted.text).toContain('00:00:20.000 --> 00:00:26.000 region:subtitle\nDeutscher Untertitel 6/10\n');
    expect(shifted.text).not.toContain('Untertitel 5/10');
    expect(kept.text).toContain('00:05:20.000 --> 00:05:26.000 region:subtitle\nDeutscher Untertitel 6/10\n');
    expect(whole.text.match(/-->/g)).toHaveLength(10);
  });

  it('honours the obsolete query parameters over the route values', async () => {
    const reply = await raw(server(), 'GET', `${subtitlePath(GERMAN)}?format=vtt&startPositionTicks=3000000000`);
    expect(reply.contentType).toBe('text/vtt');
    expect(reply.text).toContain('00:00:20.000 --> 00:00:26.000 region:subtitle\nDeutscher Untertitel 6/10');
  });
});

describe('the embedded subtitles', () => {
  it('are served as ffmpeg extracts them from the clip', async () => {
    // ffprobe's subtitle streams 3 and 4 are Jellyfin's 4 and 5 (after the external one)
    for (const probeIndex of [3, 4]) {
      const extracted = execFileSync('ffmpeg', ['-v', 'error', '-i', clip.path, '-map', `0:${probeIndex}`, '-f', 'srt', '-'], { encoding: 'utf8' });
      const reply = await raw(server(), 'GET', subtitlePath(probeIndex + EMBEDDED_INDEX_OFFSET, '0/Stream.srt'));
      expect(reply.status).toBe(200);
      expect(reply.text).toBe(extracted);
    }
  });
});

describe('subtitle errors, as Jellyfin answers them', () => {
  it('answers 400 for an item the server does not have (ArgumentNullException)', async () => {
    const reply = await raw(server(), 'GET', subtitlePath(GERMAN, 'Stream.srt', '0123456789abcdef0123456789abcdef'));
    expect(reply).toMatchObject({ status: 400, contentType: 'text/plain; charset=utf-8' });
  });

  it('answers 500 for a stream index that is no subtitle, or another media source (First() finds nothing)', async () => {
    expect((await raw(server(), 'GET', subtitlePath(9))).status).toBe(500);
    // 1 is the video and 3 the French audio (ffprobe 0 and 2, after the external subtitle)
    expect((await raw(server(), 'GET', subtitlePath(1))).status).toBe(500);
    expect((await raw(server(), 'GET', subtitlePath(3))).status).toBe(500);
    expect((await raw(server(), 'GET', subtitlePath(GERMAN, 'Stream.srt', undefined, 'ffffffffffffffffffffffffffffffff'))).status).toBe(500);
  });

  it('answers 400 for malformed route values and for a format it cannot write', async () => {
    expect((await raw(server(), 'GET', subtitlePath(GERMAN, 'Stream.srt', 'movie-1'))).status).toBe(400);
    expect((await raw(server(), 'GET', subtitlePath(GERMAN, 'soon/Stream.srt'))).status).toBe(400);
    expect((await raw(server(), 'GET', subtitlePath(GERMAN, 'Stream.docx'))).status).toBe(400);
  });

  it('is a GET route only', async () => {
    expect((await raw(server(), 'POST', subtitlePath(GERMAN), { headers: { authorization: CLIENT_HEADER } })).status).toBe(405);
  });
});
