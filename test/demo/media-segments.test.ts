import { describe, expect, it } from 'vitest';
import { SEGMENT_SECONDS } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

const server = useDemoServer();
const older = useDemoServer({ mediaSegments: false });

const TICKS = 10_000_000;

async function segments(itemId: string, query = '') {
  const token = await rawSignIn(server());
  return raw(server(), 'GET', `/MediaSegments/${itemId}${query}`, { token });
}

function spans(reply: { json: { Items: Array<{ Type: string; StartTicks: number; EndTicks: number }> } }): Array<[string, number, number]> {
  return reply.json.Items.map((segment) => [segment.Type, segment.StartTicks / TICKS, segment.EndTicks / TICKS]);
}

describe('media segments', () => {
  it('gives the first episode of a season an intro and an outro', async () => {
    const episode = server().library.first('Episode', (item) => item.indexNumber === 1);
    const reply = await segments(episode.id);
    expect(reply.status).toBe(200);
    expect(spans(reply)).toEqual([
      ['Intro', 5, 35],
      ['Outro', 570, 600],
    ]);
    expect(reply.json).toMatchObject({ TotalRecordCount: 2, StartIndex: 0 });
    expect(reply.json.Items[0]).toEqual({ Id: expect.stringMatching(/^[0-9a-f]{32}$/), ItemId: episode.id, Type: 'Intro', StartTicks: 50_000_000, EndTicks: 350_000_000 });
  });

  it('puts a recap before the intro of later episodes, with no overlap', async () => {
    const episode = server().library.first('Episode', (item) => item.indexNumber === 2);
    const found = spans(await segments(episode.id));
    expect(found).toEqual([
      ['Recap', 0.5, 4.5],
      ['Intro', 5, 35],
      ['Outro', 570, 600],
    ]);
    found.slice(1).forEach(([, start], at) => expect(start).toBeGreaterThanOrEqual(found[at]![2]));
    expect(SEGMENT_SECONDS.Recap).toEqual([0.5, 4.5]);
  });

  it('has none for movies and folders', async () => {
    for (const item of [server().library.first('Movie'), server().library.first('Series'), server().library.first('Season')]) {
      expect((await segments(item.id)).json).toEqual({ Items: [], TotalRecordCount: 0, StartIndex: 0 });
    }
  });

  it('keeps only the types asked for, repeated or in any case or by number', async () => {
    const episode = server().library.first('Episode', (item) => item.indexNumber === 2);
    expect(spans(await segments(episode.id, '?includeSegmentTypes=Outro&includeSegmentTypes=recap')).map(([type]) => type)).toEqual(['Recap', 'Outro']);
    expect(spans(await segments(episode.id, '?includeSegmentTypes=5')).map(([type]) => type)).toEqual(['Intro']);
    expect((await segments(episode.id, '?includeSegmentTypes=Commercial')).json.Items).toEqual([]);
  });

  it('answers 400 for an unknown type or a comma-joined list, which the server does not split', async () => {
    const episode = server().library.first('Episode');
    expect((await segments(episode.id, '?includeSegmentTypes=Credits')).status).toBe(400);
    expect((await segments(episode.id, '?includeSegmentTypes=Intro,Recap')).status).toBe(400);
  });

  it('answers 404 for an unknown item and 401 without a token', async () => {
    expect((await segments('0123456789abcdef0123456789abcdef')).status).toBe(404);
    expect((await raw(server(), 'GET', `/MediaSegments/${server().library.first('Episode').id}`)).status).toBe(401);
  });

  it('marks the media sources of items that have segments', async () => {
    const token = await rawSignIn(server());
    const episode = server().library.first('Episode');
    const movie = server().library.first('Movie');
    const reply = await raw(server(), 'GET', `/Items?ids=${episode.id},${movie.id}&fields=MediaSources`, { token });
    const flags = Object.fromEntries(reply.json.Items.map((item: { Id: string; MediaSources: Array<{ HasSegments: boolean }> }) => [item.Id, item.MediaSources[0]!.HasSegments]));
    expect(flags).toEqual({ [episode.id]: true, [movie.id]: false });
  });
});

describe('a server from before media segments (mediaSegments: false)', () => {
  it('answers 404 with no body, like any unknown route, with or without a token', async () => {
    const episode = older().library.first('Episode');
    const token = await rawSignIn(older());
    expect(await raw(older(), 'GET', `/MediaSegments/${episode.id}`, { token })).toMatchObject({ status: 404, text: '' });
    expect(await raw(older(), 'GET', `/MediaSegments/${episode.id}`)).toMatchObject({ status: 404, text: '' });
  });

  it('sends no HasSegments', async () => {
    const token = await rawSignIn(older());
    const episode = older().library.first('Episode');
    const reply = await raw(older(), 'GET', `/Items/${episode.id}/PlaybackInfo`, { token });
    expect(reply.json.MediaSources[0]).not.toHaveProperty('HasSegments');
  });
});
