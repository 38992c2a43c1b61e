import { describe, expect, it } from 'vitest';
import { toMediaItem, toSegments, toTracks, watchStateOf } from '../../src/servers/plex/mappers.js';
import { plexResumeState } from '../../src/servers/plex/index.js';
import { preferredConnections, type PlexResource } from '../../src/servers/plex/plex-tv.js';
import { isPlexErrorBody } from '../../src/servers/plex/transport.js';
import { firstPart, toPage } from '../../src/servers/plex/wire.js';

// Plex's JSON as servers send it (PLEX.md §1, §3, §4): strings where numbers are meant,
// user-state fields left out when unset, milliseconds and epoch seconds. Pure data in, the
// screens' words out: no server is needed to check the reading.

const EPISODE = {
  ratingKey: '182',
  key: '/library/metadata/182',
  type: 'episode',
  title: 'The \u001b[31mPilot',
  grandparentRatingKey: '170',
  grandparentTitle: 'Harbour Lights',
  parentRatingKey: '171',
  parentTitle: 'Season 1',
  index: '1',
  parentIndex: 1,
  duration: '600000',
  viewOffset: 120000,
  viewCount: '2',
  lastViewedAt: 1764583200,
  Media: [
    {
      Part: [
        {
          id: 96,
          key: '/library/parts/96/1579478991/file.mkv',
          duration: 600000,
          Stream: [
            { id: 1, streamType: 1, index: 0, codec: 'h264' },
            { id: 2, streamType: 2, index: 1, codec: 'aac', languageCode: 'eng', default: '1', selected: true },
            { id: 3, streamType: 2, index: 2, codec: 'aac', languageCode: 'fre' },
            { id: 4, streamType: 3, index: 3, codec: 'srt', languageCode: 'eng', default: true },
            { id: 5, streamType: 3, index: 4, codec: 'srt', languageCode: 'spa' },
            { id: 6, streamType: 3, codec: 'srt', languageCode: 'ger', key: '/library/streams/6' },
          ],
        },
      ],
    },
  ],
  Marker: [
    { id: 1, type: 'intro', startTimeOffset: 10000, endTimeOffset: 40000 },
    { id: 2, type: 'credits', startTimeOffset: '570000', endTimeOffset: 600000, final: true },
  ],
};

describe('reading Plex items', () => {
  it('maps an episode to the screens’ words, leniently with strings for numbers, and strips terminal control', () => {
    const item = toMediaItem(EPISODE, 1000)!;
    expect(item).toMatchObject({
      id: '182',
      name: 'The Pilot',
      type: 'Episode',
      isFolder: false,
      runtimeTicks: 600000 * 10_000,
      seriesId: '170',
      seriesName: 'Harbour Lights',
      seasonId: '171',
      indexNumber: 1,
      parentIndexNumber: 1,
      userData: { positionTicks: 120000 * 10_000, played: true, playCount: 2, readAt: 1000 },
    });
    expect(item.userData.lastPlayedDate?.toISOString()).toBe('2025-12-01T10:00:00.000Z');
  });

  it('takes a missing viewCount for never played, and a show as played only when every episode is', () => {
    expect(watchStateOf({ type: 'movie', duration: 600000 })).toEqual({ positionTicks: 0, played: false, playCount: 0 });
    expect(watchStateOf({ type: 'show', leafCount: '10', viewedLeafCount: 10 })).toMatchObject({ played: true, unplayedItemCount: 0 });
    expect(watchStateOf({ type: 'show', leafCount: 10, viewedLeafCount: '3' })).toMatchObject({ played: false, unplayedItemCount: 7 });
  });

  it('reads a page and its totals, and refuses what is not a MediaContainer', () => {
    expect(toPage({ MediaContainer: { offset: '50', totalSize: '50000', size: 2, Metadata: [EPISODE, { ratingKey: 9 }] } })).toMatchObject({ offset: 50, totalSize: 50000 });
    expect(() => toPage({ errors: [] })).toThrow(/MediaContainer/);
  });

  it('finds the file, its tracks (sidecar subtitles by address) and its markers', () => {
    const part = firstPart(EPISODE)!;
    expect(part).toMatchObject({ id: '96', key: '/library/parts/96/1579478991/file.mkv' });
    const tracks = toTracks(part.streams, (key) => `http://127.0.0.1:1/proxy${key}`);
    expect(tracks.audio.map((t) => [t.index, t.embedded, t.label])).toEqual([
      [2, 0, 'English (default)'],
      [3, 1, 'French'],
    ]);
    expect(tracks.subtitles.map((t) => [t.index, t.embedded, t.url, t.label])).toEqual([
      [4, 0, undefined, 'English (default)'],
      [5, 1, undefined, 'Spanish'],
      [6, undefined, 'http://127.0.0.1:1/proxy/library/streams/6', 'German · external'],
    ]);
    // Plex's `selected` audio is its pick; no subtitle selected means none
    expect(tracks).toMatchObject({ defaultAudioIndex: 2, defaultSubtitleIndex: -1 });
    expect(toSegments(EPISODE)).toEqual([
      { type: 'Intro', startSeconds: 10, endSeconds: 40 },
      { type: 'Outro', startSeconds: 570, endSeconds: 600 },
    ]);
  });
});

describe('Plex’s rules', () => {
  it('keeps no resume point in the first minute, and counts 90 % as watched', () => {
    const minute = 60 * 10_000_000;
    const runtime = 10 * minute;
    expect(plexResumeState(minute, runtime)).toEqual({ positionTicks: 0 });
    expect(plexResumeState(minute + 10_000_000, runtime)).toEqual({ positionTicks: minute + 10_000_000 });
    expect(plexResumeState(9 * minute, runtime)).toEqual({ positionTicks: 0, played: true });
  });

  it('tells its own error answers from a portal’s page', () => {
    expect(isPlexErrorBody('text/html', '<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>')).toBe(true);
    expect(isPlexErrorBody('text/xml', '<Response code="503" title="Maintenance" status="Plex Media Server is currently running database migrations."/>')).toBe(true);
    expect(isPlexErrorBody('application/json', '{"errors":[{"code":1001,"message":"User could not be authenticated","status":401}]}')).toBe(true);
    expect(isPlexErrorBody('text/html', '<html><head><title>Sign in to the hotel Wi-Fi</title></head><body><form></form></body></html>')).toBe(false);
    expect(isPlexErrorBody('application/json', '{"message":"no Route matched"}')).toBe(false);
  });

  it('prefers local, then remote, then relay connections, https first, and falls back from a plex.direct name to the address', () => {
    const server: PlexResource = {
      name: 'Home',
      clientIdentifier: 'abc',
      owned: true,
      accessToken: 'server-token',
      connections: [
        { uri: 'https://relay.plex.example:8443', protocol: 'https', address: '1.2.3.4', port: 8443, local: false, relay: true },
        { uri: 'http://203.0.113.5:32400', protocol: 'http', address: '203.0.113.5', port: 32400, local: false, relay: false },
        { uri: 'https://192-168-1-10.abc.plex.direct:32400', protocol: 'https', address: '192.168.1.10', port: 32400, local: true, relay: false },
      ],
    };
    expect(preferredConnections(server)).toEqual(['https://192-168-1-10.abc.plex.direct:32400', 'http://192.168.1.10:32400', 'http://203.0.113.5:32400', 'https://relay.plex.example:8443']);
    // A shared server's local connections are not the user's network
    expect(preferredConnections({ ...server, owned: false })).toEqual(['http://203.0.113.5:32400', 'https://relay.plex.example:8443']);
  });
});
