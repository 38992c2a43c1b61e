import { describe, expect, it } from 'vitest';
import { JellyfinClient } from '../../src/servers/jellyfin/client.js';
import { demoTerminal, fault, mpvProcessesWith, playFirstEpisode } from '../helpers/terminal.js';

describe('reelterm --demo in a terminal', () => {
  it('plays an episode in mpv, keeps the stop while the server is offline, and syncs it on r', async () => {
    // Given reelterm on its demo server in a 110×30 terminal, with mpv drawing nothing
    const { term, home, port, adminPort } = await demoTerminal({ syncWaitSeconds: 1 });

    // When the user browses Shows → a series → Season 1 → the first episode and plays it
    await playFirstEpisode(term);
    // (from the beginning: nothing to resume)
    expect(await term.screen()).toMatch(/▶ Playing +0:[0-2]\d \/ 10:00/);
    // And skips ahead 40 s (past the first 5 %, below which Jellyfin keeps no resume point)
    await term.keys('Right', 'Right', 'Right', 'Right');
    await term.waitFor(/▶ Playing +(0:[3-5]\d|[1-9]:\d\d) \/ 10:00/);

    // And the server goes offline before they stop
    await fault(adminPort, { fault: 'offline' });
    await term.keys('s');
    const stopped = await term.waitFor(/◐ Stopped at (\d+:\d\d)/);
    const position = /◐ Stopped at (\d+):(\d\d)/.exec(stopped)!;
    // Then the footer shows the update waiting
    await term.waitFor(/⚠ Offline · 1 pending/);

    // When the server is back and they press r
    await fault(adminPort, { fault: 'clear' });
    await term.keys('r');
    // Then the footer says synced, and the server holds the position they stopped at
    await term.waitFor(/✓ Synced/);
    const client = new JellyfinClient({ serverUrl: `http://127.0.0.1:${port}`, deviceId: 'e2e-check', deviceName: 'e2e', clientVersion: '0.1.0' });
    await client.authenticateByName('demo', 'demo');
    const shows = (await client.userViews()).find((view) => view.name === 'Shows')!;
    const series = (await client.items({ parentId: shows.id, sortBy: ['SortName'], limit: 1 })).items[0]!;
    const episode = (await client.episodes(series.id))[0]!;
    const saved = await client.getUserData(episode.id);
    expect(Math.floor(saved.positionTicks / 10_000_000)).toBe(Number(position[1]) * 60 + Number(position[2]));

    // And q quits cleanly, leaving no mpv behind
    await term.keys('q');
    await term.waitFor(/Demo server: http:\/\/127\.0\.0\.1:\d+/, 10_000);
    expect(await mpvProcessesWith(home)).toEqual([]);
  }, 90_000);
});
