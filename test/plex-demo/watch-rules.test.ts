import { describe, expect, it } from 'vitest';
import type { PlexItem } from '../../src/servers/plex/demo/index.js';
import { epochSeconds, pms, timeline, usePlexDemo } from './helpers.js';

// PLEX.md §7.2, profile "pms-1.43": every rule, and the switch that turns it around.

const demo = usePlexDemo();

/** A film no other test has touched (the server's state lives for the whole file). */
let nextFilm = 0;
function freshFilm(): PlexItem {
  const films = demo().library.ofType(1, 'movie');
  const film = films[nextFilm];
  nextFilm += 1;
  if (!film) throw new Error('out of fresh films');
  return film;
}

const scrobble = (key: string, method = 'PUT') => pms(demo(), method, `/:/scrobble?identifier=com.plexapp.plugins.library&key=${key}`);
const unscrobble = (key: string) => pms(demo(), 'PUT', `/:/unscrobble?identifier=com.plexapp.plugins.library&key=${key}`);

describe('the 60 s floor and the resume point (PLEX.md §0.4, §7.2.2)', () => {
  it('ignores a position at or below 60,000 ms and stores one above it, stamping lastViewedAt with the server clock', async () => {
    const film = freshFilm();
    expect((await timeline(demo(), film.ratingKey, 'playing', 60_000)).status).toBe(200);
    expect(demo().state.watch(film.ratingKey)).toEqual({});
    const before = epochSeconds();
    await timeline(demo(), film.ratingKey, 'playing', 60_001);
    const state = demo().state.watch(film.ratingKey);
    expect(state.viewOffset).toBe(60_001);
    expect(state.lastViewedAt).toBeGreaterThanOrEqual(before);
    expect(state.viewCount).toBeUndefined();
  });

  it('stamps lastViewedAt from the server clock, clock-offset fault included', async () => {
    const film = freshFilm();
    demo().faults.clock(86_400_000);
    await timeline(demo(), film.ratingKey, 'stopped', 200_000);
    expect(demo().state.watch(film.ratingKey).lastViewedAt).toBeGreaterThanOrEqual(epochSeconds() + 86_400 - 5);
  });

  it('answers 400 for time > duration (switch: clamp)', async () => {
    const film = freshFilm();
    const reply = await timeline(demo(), film.ratingKey, 'stopped', 600_001);
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('<h1>400 Bad Request</h1>');
    // The duration the client sends counts: Reel's duration=0 replay is a 400 too (PLEX.md §8).
    expect((await timeline(demo(), film.ratingKey, 'stopped', 120_000, { duration: 0 })).status).toBe(400);
    demo().configureRules({ timeBeyondDuration: 'clamp' });
    expect((await timeline(demo(), film.ratingKey, 'stopped', 600_001)).status).toBe(200);
  });

  it('ignores a report without X-Plex-Client-Identifier (switch: 400)', async () => {
    const film = freshFilm();
    const reply = await timeline(demo(), film.ratingKey, 'stopped', 200_000, {}, { anonymous: true });
    expect(reply.status).toBe(200);
    expect(demo().state.watch(film.ratingKey)).toEqual({});
    expect(demo().journal.at(-1)?.outcome).toBe('ignored: no client identifier');
    demo().configureRules({ missingClientIdentifier: 'reject' });
    expect((await timeline(demo(), film.ratingKey, 'stopped', 200_000, {}, { anonymous: true })).status).toBe(400);
  });

  it('takes the client identifier from the query too, as every X-Plex- header (PLEX.md §1)', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'stopped', 200_000, { 'X-Plex-Client-Identifier': 'query-client' }, { anonymous: true });
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(200_000);
  });

  it('answers 404 for an unknown ratingKey and 400 for a missing state', async () => {
    expect((await timeline(demo(), '987654321', 'playing', 120_000)).status).toBe(404);
    expect((await pms(demo(), 'POST', `/:/timeline?ratingKey=${freshFilm().ratingKey}&time=1000`)).status).toBe(400);
  });
});

describe('watched by playback: a crossing inside one session (PLEX.md §0.5, §7.2.3)', () => {
  it('marks watched on a report at/above 90 % after one below it: viewCount 1, no resume point, a history row', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'playing', 120_000, {}, { headers: { 'X-Plex-Session-Identifier': 's1' } });
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(120_000);
    await timeline(demo(), film.ratingKey, 'playing', 540_000, {}, { headers: { 'X-Plex-Session-Identifier': 's1' } });
    const state = demo().state.watch(film.ratingKey);
    expect(state).toEqual({ viewCount: 1, lastViewedAt: expect.any(Number) });
    const rows = demo().state.history().filter((row) => row.ratingKey === film.ratingKey);
    expect(rows).toEqual([expect.objectContaining({ ratingKey: film.ratingKey, deviceId: 'test-client-1', viewedAt: state.lastViewedAt })]);
    // One crossing counts once, and the final stopped above the threshold adds nothing.
    await timeline(demo(), film.ratingKey, 'playing', 590_000, {}, { headers: { 'X-Plex-Session-Identifier': 's1' } });
    await timeline(demo(), film.ratingKey, 'stopped', 595_000, {}, { headers: { 'X-Plex-Session-Identifier': 's1' } });
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  });

  it('a report at 1 s arms the crossing, one at 0 does not', async () => {
    const armed = freshFilm();
    await timeline(demo(), armed.ratingKey, 'playing', 1_000);
    await timeline(demo(), armed.ratingKey, 'stopped', 560_000);
    expect(demo().state.watch(armed.ratingKey).viewCount).toBe(1);
    const inert = freshFilm();
    await timeline(demo(), inert.ratingKey, 'playing', 0);
    await timeline(demo(), inert.ratingKey, 'stopped', 560_000);
    expect(demo().state.watch(inert.ratingKey)).toEqual({});
  });

  it('one late stopped report at 95 % marks nothing, and stores no resume point', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'stopped', 570_000);
    expect(demo().state.watch(film.ratingKey)).toEqual({});
    expect(demo().journal.at(-1)?.outcome).toBe('nothing stored');
  });

  it('consecutive reports above the threshold mark nothing', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'playing', 550_000);
    await timeline(demo(), film.ratingKey, 'playing', 560_000);
    await timeline(demo(), film.ratingKey, 'stopped', 570_000);
    expect(demo().state.watch(film.ratingKey).viewCount).toBeUndefined();
  });

  it('a resume point from an earlier session does not arm a new one', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'stopped', 120_000);
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(120_000);
    await timeline(demo(), film.ratingKey, 'playing', 560_000);
    expect(demo().state.watch(film.ratingKey)).toMatchObject({ viewOffset: 120_000 });
    expect(demo().state.watch(film.ratingKey).viewCount).toBeUndefined();
  });

  it('keys the session by client, session identifier and ratingKey', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'playing', 120_000, {}, { headers: { 'X-Plex-Session-Identifier': 'a' } });
    await timeline(demo(), film.ratingKey, 'playing', 560_000, {}, { headers: { 'X-Plex-Session-Identifier': 'b' } });
    await timeline(demo(), film.ratingKey, 'playing', 560_000, {}, { headers: { 'X-Plex-Client-Identifier': 'another-client', 'X-Plex-Session-Identifier': 'a' } });
    expect(demo().state.watch(film.ratingKey).viewCount).toBeUndefined();
  });

  it('switch requireCrossing off: any report at/above the threshold marks watched', async () => {
    demo().configureRules({ requireCrossing: false });
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'stopped', 570_000);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  });

  it('follows the threshold switch, and /:/prefs says what it is', async () => {
    demo().configureRules({ threshold: 50 });
    const prefs = await pms(demo(), 'GET', '/:/prefs');
    expect(prefs.json.MediaContainer.Setting).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'LibraryVideoPlayedThreshold', value: 50 }), expect.objectContaining({ id: 'LibraryVideoPlayedAtBehaviour', value: 3 })]));
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'playing', 120_000);
    await timeline(demo(), film.ratingKey, 'playing', 300_000);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  });

  it('behaviour 3: the first credits marker ends an episode when it comes before the threshold', async () => {
    demo().configureRules({ threshold: 99 });
    const episode = demo().library.first('episode', (item) => item.index === 3 && item.parentIndex === 1);
    const film = freshFilm();
    for (const item of [episode, film]) {
      await timeline(demo(), item.ratingKey, 'playing', 120_000);
      await timeline(demo(), item.ratingKey, 'playing', 575_000);
    }
    expect(demo().state.watch(episode.ratingKey).viewCount).toBe(1);
    expect(demo().state.watch(film.ratingKey).viewCount).toBeUndefined();
  });
});

describe('offline replays (PLEX.md §0.9, §7.2.4)', () => {
  it('discards an offline=1 report whose updated is older than lastViewedAt (switch: accept)', async () => {
    const film = freshFilm();
    await scrobble(film.ratingKey);
    const stale = { offline: 1, updated: epochSeconds() - 3600 };
    await timeline(demo(), film.ratingKey, 'stopped', 200_000, stale);
    expect(demo().state.watch(film.ratingKey).viewOffset).toBeUndefined();
    expect(demo().journal.at(-1)?.outcome).toBe('discarded: stale offline report');
    demo().configureRules({ staleOfflineReports: 'accept' });
    await timeline(demo(), film.ratingKey, 'stopped', 200_000, stale);
    expect(demo().state.watch(film.ratingKey)).toMatchObject({ viewCount: 1, viewOffset: 200_000 });
  });

  it('applies an offline=1 report that is newer than lastViewedAt', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'stopped', 200_000, { offline: 1, updated: epochSeconds() + 60 });
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(200_000);
  });
});

describe('scrobble and unscrobble (PLEX.md §0.2, §0.3, §7.2.5)', () => {
  it('scrobble twice → viewCount 2, no resume point, lastViewedAt now, no history; 200 empty text/html', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'stopped', 200_000);
    const first = await scrobble(film.ratingKey);
    expect(first).toMatchObject({ status: 200, text: '' });
    expect(first.contentType).toMatch(/^text\/html/);
    // Every client uses GET; the spec documents PUT: both count.
    await scrobble(film.ratingKey, 'GET');
    expect(demo().state.watch(film.ratingKey)).toEqual({ viewCount: 2, lastViewedAt: expect.any(Number) });
    expect(demo().state.history().filter((row) => row.ratingKey === film.ratingKey)).toEqual([]);
  });

  it('switch scrobble "once": a second scrobble leaves a watched item alone', async () => {
    demo().configureRules({ scrobble: 'once' });
    const film = freshFilm();
    await scrobble(film.ratingKey);
    await scrobble(film.ratingKey);
    expect(demo().state.watch(film.ratingKey).viewCount).toBe(1);
  });

  it('an already-watched item can hold a resume point', async () => {
    const film = freshFilm();
    await scrobble(film.ratingKey);
    await timeline(demo(), film.ratingKey, 'stopped', 120_000);
    expect(demo().state.watch(film.ratingKey)).toMatchObject({ viewCount: 1, viewOffset: 120_000 });
  });

  it('unscrobble clears viewCount, viewOffset and lastViewedAt, and is idempotent', async () => {
    const film = freshFilm();
    await scrobble(film.ratingKey);
    await timeline(demo(), film.ratingKey, 'stopped', 120_000);
    expect((await unscrobble(film.ratingKey)).status).toBe(200);
    expect((await unscrobble(film.ratingKey)).status).toBe(200);
    expect(demo().state.watch(film.ratingKey)).toEqual({});
    const details = await pms(demo(), 'GET', `/library/metadata/${film.ratingKey}`);
    const [entry] = details.json.MediaContainer.Metadata;
    expect(entry).not.toHaveProperty('viewCount');
    expect(entry).not.toHaveProperty('viewOffset');
    expect(entry).not.toHaveProperty('lastViewedAt');
  });

  it('marks a whole show, recursively, and unmarks it', async () => {
    const show = demo().library.first('show', (item) => item.title !== '' && demo().library.leaves(item).every((leaf) => demo().state.watch(leaf.ratingKey).viewCount === undefined));
    await scrobble(show.ratingKey);
    const leaves = demo().library.leaves(show);
    expect(leaves.every((leaf) => demo().state.watch(leaf.ratingKey).viewCount === 1)).toBe(true);
    const details = await pms(demo(), 'GET', `/library/metadata/${show.ratingKey}`);
    expect(details.json.MediaContainer.Metadata[0]).toMatchObject({ leafCount: leaves.length, viewedLeafCount: leaves.length });
    await unscrobble(show.ratingKey);
    expect(leaves.every((leaf) => Object.keys(demo().state.watch(leaf.ratingKey)).length === 0)).toBe(true);
  });

  it('answers 404 for an unknown key or library identifier, 400 without identifier', async () => {
    expect((await scrobble('987654321')).status).toBe(404);
    expect((await pms(demo(), 'PUT', `/:/scrobble?identifier=com.example&key=${freshFilm().ratingKey}`)).status).toBe(404);
    expect((await pms(demo(), 'PUT', `/:/scrobble?key=${freshFilm().ratingKey}`)).status).toBe(400);
  });
});

describe('Now Playing sessions (PLEX.md §0.8, §7.2.1)', () => {
  it('playing and paused upsert a session in /status/sessions; stopped removes it', async () => {
    const film = freshFilm();
    const headers = { 'X-Plex-Session-Identifier': 'now-1' };
    await timeline(demo(), film.ratingKey, 'playing', 90_000, {}, { headers });
    const mine = (metadata: Array<{ ratingKey: string }>) => metadata.filter((entry) => entry.ratingKey === film.ratingKey);
    let sessions = mine((await pms(demo(), 'GET', '/status/sessions')).json.MediaContainer.Metadata);
    expect(sessions).toEqual([expect.objectContaining({ ratingKey: film.ratingKey, viewOffset: 90_000, Player: expect.objectContaining({ machineIdentifier: 'test-client-1', state: 'playing' }), Session: expect.objectContaining({ id: 'now-1' }) })]);
    await timeline(demo(), film.ratingKey, 'paused', 95_000, {}, { headers });
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.ratingKey)).toEqual([expect.objectContaining({ state: 'paused', time: 95_000 })]);
    await timeline(demo(), film.ratingKey, 'stopped', 96_000, {}, { headers });
    sessions = mine((await pms(demo(), 'GET', '/status/sessions')).json.MediaContainer.Metadata ?? []);
    expect(sessions).toEqual([]);
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.ratingKey)).toEqual([]);
  });

  it('tells the next report of a session the server ended it (terminationCode) and closes it', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'playing', 90_000);
    expect(demo().state.terminate({ ratingKey: film.ratingKey })).toBe(1);
    const reply = await timeline(demo(), film.ratingKey, 'playing', 100_000);
    expect(reply.json.MediaContainer).toMatchObject({ terminationCode: 2006, terminationText: expect.stringContaining('terminated') });
    expect(demo().state.sessions().filter((session) => session.ratingKey === film.ratingKey)).toEqual([]);
  });

  it('shows /status/sessions to the owner only (the spec marks it admin)', async () => {
    expect((await pms(demo(), 'GET', '/status/sessions', { token: demo().users[1]!.serverToken })).status).toBe(401);
  });

  it('lists crossings in the play history, filtered by item', async () => {
    const film = freshFilm();
    await timeline(demo(), film.ratingKey, 'playing', 100_000);
    await timeline(demo(), film.ratingKey, 'stopped', 580_000);
    const history = await pms(demo(), 'GET', `/status/sessions/history/all?metadataItemID=${film.ratingKey}&sort=viewedAt:desc`);
    expect(history.json.MediaContainer.Metadata).toEqual([expect.objectContaining({ ratingKey: film.ratingKey, viewedAt: expect.any(Number), accountID: demo().owner.id })]);
  });
});

describe('/:/progress (undocumented, PLEX.md §5.3)', () => {
  it('sets the resume point for the owner, answers 401 to a managed user (switch: allow)', async () => {
    const film = freshFilm();
    expect((await pms(demo(), 'PUT', `/:/progress?key=${film.ratingKey}&identifier=com.plexapp.plugins.library&time=90000&state=stopped`)).status).toBe(200);
    expect(demo().state.watch(film.ratingKey).viewOffset).toBe(90_000);
    const kid = demo().users[1]!;
    const refused = await pms(demo(), 'GET', `/:/progress?key=${film.ratingKey}&identifier=com.plexapp.plugins.library&time=90000`, { token: kid.serverToken });
    expect(refused.status).toBe(401);
    demo().configureRules({ progressForManagedUsers: 'allow' });
    await pms(demo(), 'GET', `/:/progress?key=${film.ratingKey}&identifier=com.plexapp.plugins.library&time=90000`, { token: kid.serverToken });
    expect(demo().state.watch(film.ratingKey, 'kid').viewOffset).toBe(90_000);
  });
});
