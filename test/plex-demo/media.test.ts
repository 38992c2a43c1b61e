import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateClip } from '../../src/servers/demo-kit/index.js';
import { pms, usePlexDemo } from './helpers.js';

// Playback media (PLEX.md §4): the part file with ranges, the sidecar subtitle, stream selection.

const demo = usePlexDemo();
const clip = locateClip();

/** The first film's Part (with streams) as the details send it, for an account token. */
async function firstPart(token?: string): Promise<{ id: number; key: string; Stream: Array<Record<string, any>> }> {
  const film = demo().library.first('movie');
  const reply = await pms(demo(), 'GET', `/library/metadata/${film.ratingKey}`, token === undefined ? {} : { token });
  return reply.json.MediaContainer.Metadata[0].Media[0].Part[0];
}

describe('the part file (PLEX.md §4.1)', () => {
  it('serves the clip at Part.key with the token in a header: 206 for a Range, 200 whole', async () => {
    const part = await firstPart();
    const ranged = await fetch(`${demo().url}${part.key}`, { headers: { 'X-Plex-Token': demo().owner.serverToken, Range: 'bytes=0-99' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 0-99/${clip.size}`);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(readFileSync(clip.path).subarray(0, 100));
    const whole = await fetch(`${demo().url}${part.key}`, { method: 'HEAD', headers: { 'X-Plex-Token': demo().owner.serverToken } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(clip.size));
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
  });

  it('takes the token from the query (what most peers do), and answers 401 without one', async () => {
    const part = await firstPart();
    const queried = await fetch(`${demo().url}${part.key}?X-Plex-Token=${demo().owner.serverToken}`, { headers: { Range: `bytes=${clip.size - 10}-` } });
    expect(queried.status).toBe(206);
    expect((await queried.arrayBuffer()).byteLength).toBe(10);
    expect((await fetch(`${demo().url}${part.key}`)).status).toBe(401);
  });

  it('answers 416 past the end, 404 for a made-up key (a changestamp the part does not have)', async () => {
    const part = await firstPart();
    const past = await fetch(`${demo().url}${part.key}`, { headers: { 'X-Plex-Token': demo().owner.serverToken, Range: `bytes=${clip.size}-` } });
    expect(past.status).toBe(416);
    expect((await pms(demo(), 'GET', `/library/parts/${part.id}/1/file.mp4`)).status).toBe(404);
    expect((await pms(demo(), 'GET', `/library/parts/1/${part.key.split('/')[4]}/file.mp4`)).status).toBe(404);
  });
});

describe('the sidecar subtitle (PLEX.md §4.2)', () => {
  it('serves the German SRT at the stream key, with or without an extension', async () => {
    const part = await firstPart();
    const sidecar = part.Stream.find((stream) => stream.key !== undefined)!;
    expect(sidecar).toMatchObject({ streamType: 3, codec: 'srt', languageCode: 'ger' });
    const expected = readFileSync(join(dirname(clip.path), 'subtitles.ger.srt'), 'utf8');
    for (const path of [sidecar.key, `${sidecar.key}.srt`]) {
      const reply = await pms(demo(), 'GET', path);
      expect(reply.status).toBe(200);
      expect(reply.text).toBe(expected);
    }
    expect((await pms(demo(), 'GET', `${sidecar.key}.srt`, { token: undefined })).status).toBe(401);
  });

  it('answers 501 for a subtitle inside the file and 404 for an unknown stream', async () => {
    const part = await firstPart();
    const embedded = part.Stream.find((stream) => stream.streamType === 3 && stream.key === undefined)!;
    expect((await pms(demo(), 'GET', `/library/streams/${embedded.id}.srt`)).status).toBe(501);
    expect((await pms(demo(), 'GET', '/library/streams/7.srt')).status).toBe(404);
  });
});

describe('choosing streams: PUT /library/parts/{id} (PLEX.md §4.2)', () => {
  it('starts with English audio selected and no subtitle, and shows a new choice as Stream.selected', async () => {
    const before = await firstPart();
    const selected = (part: typeof before) => part.Stream.filter((stream) => stream.selected).map((stream) => [stream.streamType, stream.languageCode]);
    expect(selected(before)).toEqual([[2, 'eng']]);
    const french = before.Stream.find((stream) => stream.streamType === 2 && stream.languageCode === 'fre')!;
    const german = before.Stream.find((stream) => stream.key !== undefined)!;
    const reply = await pms(demo(), 'PUT', `/library/parts/${before.id}?audioStreamID=${french.id}&subtitleStreamID=${german.id}&allParts=1`);
    expect(reply.status).toBe(200);
    expect(selected(await firstPart())).toEqual([
      [2, 'fre'],
      [3, 'ger'],
    ]);
    // Another account keeps its own choice.
    expect(selected(await firstPart(demo().users[1]!.serverToken))).toEqual([[2, 'eng']]);
    await pms(demo(), 'PUT', `/library/parts/${before.id}?subtitleStreamID=0`);
    expect(selected(await firstPart())).toEqual([[2, 'fre']]);
    expect(demo().state.selection(before.id)).toEqual({ audioStreamID: french.id, subtitleStreamID: 0 });
  });

  it('answers 400 for a stream that is not the part\'s (or not of that type), 404 for an unknown part', async () => {
    const part = await firstPart();
    const subtitle = part.Stream.find((stream) => stream.streamType === 3)!;
    expect((await pms(demo(), 'PUT', `/library/parts/${part.id}?audioStreamID=${subtitle.id}`)).status).toBe(400);
    expect((await pms(demo(), 'PUT', `/library/parts/${part.id}?audioStreamID=12`)).status).toBe(400);
    expect((await pms(demo(), 'PUT', '/library/parts/5?audioStreamID=52')).status).toBe(404);
  });
});
