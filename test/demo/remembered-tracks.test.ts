import { describe, expect, it } from 'vitest';
import type { DemoServer, DemoServerOptions } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

// The demo clip's streams: 0 external German SRT, 1 video, 2 English audio (default), 3 French
// audio, 4 English subtitle (default), 5 Spanish subtitle.
const PICKED = { audio: 2, subtitle: 4 };

const v10 = useDemoServer({ library: { movies: 30 } });
const v12 = useDemoServer({ version: '12.0.0', library: { movies: 30 } });
// The option type only lists name and password; the accounts keep every field they are given.
const household = useDemoServer({
  library: { movies: 30 },
  users: [
    { name: 'demo', password: 'demo', rememberAudioSelections: false },
    { name: 'anna', password: 'anna' },
  ] as DemoServerOptions['users'],
});

const used = new Map<DemoServer, number>();
function freshMovie(demo: DemoServer): string {
  const next = (used.get(demo) ?? 0) + 1;
  used.set(demo, next);
  return demo.library.all().filter((item) => item.type === 'Movie')[next]!.id;
}

async function report(demo: DemoServer, token: string, path: '/Sessions/Playing' | '/Sessions/Playing/Progress', body: Record<string, unknown>): Promise<void> {
  expect((await raw(demo, 'POST', path, { token, body: { PositionTicks: 0, ...body } })).status).toBe(204);
}

/** The defaults as PlaybackInfo and `/Items/{id}` answer them; both must agree. */
async function defaults(demo: DemoServer, token: string, id: string): Promise<{ audio: number; subtitle: number }> {
  const info = await raw(demo, 'GET', `/Items/${id}/PlaybackInfo`, { token });
  const item = await raw(demo, 'GET', `/Items/${id}`, { token });
  const listed = await raw(demo, 'GET', `/Items?ids=${id}&fields=MediaSources`, { token });
  const [fromInfo, fromItem, fromList] = [info.json.MediaSources[0], item.json.MediaSources[0], listed.json.Items[0].MediaSources[0]];
  const pick = (source: { DefaultAudioStreamIndex: number; DefaultSubtitleStreamIndex: number }) => ({ audio: source.DefaultAudioStreamIndex, subtitle: source.DefaultSubtitleStreamIndex });
  expect(pick(fromItem)).toEqual(pick(fromInfo));
  expect(pick(fromList)).toEqual(pick(fromInfo));
  return pick(fromInfo);
}

describe('remembered audio and subtitle tracks (SessionManager.UpdatePlaybackSettings)', () => {
  it('a Progress report\'s tracks become the item\'s default tracks for that user', async () => {
    const token = await rawSignIn(v10());
    const id = freshMovie(v10());
    expect(await defaults(v10(), token, id)).toEqual(PICKED);
    await report(v10(), token, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: 3, SubtitleStreamIndex: 5 });
    expect(await defaults(v10(), token, id)).toEqual({ audio: 3, subtitle: 5 });
  });

  it('subtitles turned off (-1) are remembered as off', async () => {
    const token = await rawSignIn(v10());
    const id = freshMovie(v10());
    await report(v10(), token, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: 2, SubtitleStreamIndex: -1 });
    expect(await defaults(v10(), token, id)).toEqual({ audio: 2, subtitle: -1 });
  });

  it('an index the video has no stream of that kind for is not answered', async () => {
    const token = await rawSignIn(v10());
    const id = freshMovie(v10());
    // 4 is a subtitle, not an audio stream; the video has no stream 9.
    await report(v10(), token, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: 4, SubtitleStreamIndex: 9 });
    expect(await defaults(v10(), token, id)).toEqual(PICKED);
  });

  it('on 10.11 a Progress report without indexes erases what was remembered', async () => {
    const token = await rawSignIn(v10());
    const id = freshMovie(v10());
    // Given a remembered choice
    await report(v10(), token, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: 3, SubtitleStreamIndex: 5 });
    // When a client reports progress without its tracks
    await report(v10(), token, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: null });
    // Then the server is back to its own pick
    expect(await defaults(v10(), token, id)).toEqual(PICKED);
  });

  it('on 12.0 a Progress report without indexes keeps what was remembered', async () => {
    const token = await rawSignIn(v12());
    const id = freshMovie(v12());
    await report(v12(), token, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: 3, SubtitleStreamIndex: 5 });
    await report(v12(), token, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: null });
    expect(await defaults(v12(), token, id)).toEqual({ audio: 3, subtitle: 5 });
    await report(v12(), token, '/Sessions/Playing/Progress', { ItemId: id, SubtitleStreamIndex: -1 });
    expect(await defaults(v12(), token, id)).toEqual({ audio: 3, subtitle: -1 });
  });

  it('a Start report neither remembers its tracks nor erases remembered ones, on either version', async () => {
    for (const demo of [v10(), v12()]) {
      const token = await rawSignIn(demo);
      const [started, remembered] = [freshMovie(demo), freshMovie(demo)];
      await report(demo, token, '/Sessions/Playing', { ItemId: started, AudioStreamIndex: 3, SubtitleStreamIndex: 5 });
      expect(await defaults(demo, token, started)).toEqual(PICKED);
      await report(demo, token, '/Sessions/Playing/Progress', { ItemId: remembered, AudioStreamIndex: 3, SubtitleStreamIndex: 5 });
      await report(demo, token, '/Sessions/Playing', { ItemId: remembered });
      expect(await defaults(demo, token, remembered)).toEqual({ audio: 3, subtitle: 5 });
    }
  });

  it('a user who does not remember audio gets the server\'s audio pick, and still their subtitles', async () => {
    const token = await rawSignIn(household());
    const id = freshMovie(household());
    await report(household(), token, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: 3, SubtitleStreamIndex: 5 });
    expect(await defaults(household(), token, id)).toEqual({ audio: PICKED.audio, subtitle: 5 });
  });

  it('one user\'s tracks are not another\'s defaults', async () => {
    const anna = await rawSignIn(household(), 'anna-device', 'anna', 'anna');
    const demo = await rawSignIn(household());
    const id = freshMovie(household());
    await report(household(), anna, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: 3, SubtitleStreamIndex: 0 });
    expect(await defaults(household(), anna, id)).toEqual({ audio: 3, subtitle: 0 });
    expect(await defaults(household(), demo, id)).toEqual(PICKED);
  });

  it('the tracks a POST PlaybackInfo asks for still win over the remembered ones', async () => {
    const token = await rawSignIn(v10());
    const id = freshMovie(v10());
    await report(v10(), token, '/Sessions/Playing/Progress', { ItemId: id, AudioStreamIndex: 3, SubtitleStreamIndex: 5 });
    const reply = await raw(v10(), 'POST', `/Items/${id}/PlaybackInfo`, {
      token,
      body: { MediaSourceId: id, AudioStreamIndex: 2, SubtitleStreamIndex: 0, DeviceProfile: { SubtitleProfiles: [{ Format: 'srt', Method: 'External' }] } },
    });
    expect(reply.json.MediaSources[0]).toMatchObject({ DefaultAudioStreamIndex: 2, DefaultSubtitleStreamIndex: 0 });
  });
});
