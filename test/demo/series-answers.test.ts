import { describe, expect, it } from 'vitest';
import type { DemoItem } from '../../src/servers/jellyfin/demo/index.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';

const server = useDemoServer({ library: { series: 8, seasonsPerSeries: 2, episodesPerSeason: 3 } });

let next = -1;
function freshSeries(): { series: DemoItem; episodes: DemoItem[] } {
  next += 1;
  const series = server().library.all().filter((item) => item.type === 'Series')[next]!;
  return { series, episodes: server().library.leaves(series) };
}

describe('a series\' UserData (Folder.FillUserDataDtoValues, 10.11)', () => {
  it('carries PlayedPercentage only when RecursiveItemCount is asked for', async () => {
    const token = await rawSignIn(server());
    const { series, episodes } = freshSeries();
    await raw(server(), 'POST', `/UserPlayedItems/${episodes[0]!.id}`, { token });

    const plain = (await raw(server(), 'GET', `/Items?ids=${series.id}`, { token })).json.Items[0];
    expect(plain).not.toHaveProperty('RecursiveItemCount');
    expect(plain.UserData).toMatchObject({ UnplayedItemCount: 5, Played: false });
    expect(plain.UserData).not.toHaveProperty('PlayedPercentage');

    const counted = (await raw(server(), 'GET', `/Items?ids=${series.id}&fields=RecursiveItemCount`, { token })).json.Items[0];
    expect(counted.RecursiveItemCount).toBe(6);
    // 100 - 5/6 × 100, as Folder.cs computes it (100/6 would end in …67, not …64)
    expect(counted.UserData).toMatchObject({ UnplayedItemCount: 5, Played: false, PlayedPercentage: 16.666666666666657 });

    const single = (await raw(server(), 'GET', `/Items/${series.id}`, { token })).json;
    expect(single.RecursiveItemCount).toBe(6);
    expect(single.UserData.PlayedPercentage).toBe(16.666666666666657);
  });

  it('sends PlayedPercentage 0 when RecursiveItemCount is asked for and nothing is played', async () => {
    const token = await rawSignIn(server());
    const { series } = freshSeries();
    const counted = (await raw(server(), 'GET', `/Items?ids=${series.id}&fields=RecursiveItemCount`, { token })).json.Items[0];
    expect(counted.UserData).toMatchObject({ PlayedPercentage: 0, UnplayedItemCount: 6, Played: false });
  });

  it('has no RecursiveItemCount without UserData (enableUserData=false)', async () => {
    const token = await rawSignIn(server());
    const { series } = freshSeries();
    const reply = await raw(server(), 'GET', `/Items?ids=${series.id}&fields=RecursiveItemCount&enableUserData=false`, { token });
    expect(reply.json.Items[0]).not.toHaveProperty('RecursiveItemCount');
    expect(reply.json.Items[0]).not.toHaveProperty('UserData');
  });

  it('is answered without PlayedPercentage by the mark and UserData routes', async () => {
    const token = await rawSignIn(server());
    const { series } = freshSeries();
    const marked = await raw(server(), 'POST', `/UserPlayedItems/${series.id}`, { token });
    expect(marked.json).toMatchObject({ Played: true, UnplayedItemCount: 0 });
    expect(marked.json).not.toHaveProperty('PlayedPercentage');
    const read = await raw(server(), 'GET', `/UserItems/${series.id}/UserData`, { token });
    expect(read.json).toMatchObject({ Played: true, UnplayedItemCount: 0 });
    expect(read.json).not.toHaveProperty('PlayedPercentage');
  });

  it('a library carries only its own user data (no counts, no RecursiveItemCount)', async () => {
    const token = await rawSignIn(server());
    const shows = server().library.first('CollectionFolder', (item) => item.collectionType === 'tvshows');
    const reply = await raw(server(), 'GET', `/Items/${shows.id}`, { token });
    expect(reply.json).not.toHaveProperty('RecursiveItemCount');
    expect(reply.json.UserData).toMatchObject({ Played: false });
    expect(reply.json.UserData).not.toHaveProperty('UnplayedItemCount');
    expect(reply.json.UserData).not.toHaveProperty('PlayedPercentage');
  });
});

describe('PlaybackInfo for what cannot be played (MediaInfoHelper.GetPlaybackInfo)', () => {
  it('is a 500 for a series or a season, which have no media sources', async () => {
    const token = await rawSignIn(server());
    const { series } = freshSeries();
    const season = server().library.children(series.id)[0]!;
    for (const id of [series.id, season.id]) {
      for (const method of ['GET', 'POST']) {
        const reply = await raw(server(), method, `/Items/${id}/PlaybackInfo`, { token, body: method === 'POST' ? {} : undefined });
        expect(reply.status, `${method} ${id}`).toBe(500);
        expect(reply.json).toBeUndefined();
      }
    }
  });

  it('answers NoCompatibleStream, no source and no PlaySessionId when MediaSourceId names no source', async () => {
    const token = await rawSignIn(server());
    const episode = freshSeries().episodes[0]!;
    const reply = await raw(server(), 'POST', `/Items/${episode.id}/PlaybackInfo`, { token, body: { MediaSourceId: '0123456789abcdef0123456789abcdef' } });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ MediaSources: [], ErrorCode: 'NoCompatibleStream' });
    const matching = await raw(server(), 'POST', `/Items/${episode.id}/PlaybackInfo`, { token, body: { MediaSourceId: episode.id.toUpperCase() } });
    expect(matching.json.MediaSources).toHaveLength(1);
    expect(matching.json.PlaySessionId).toMatch(/^[0-9a-f]{32}$/);
  });
});
