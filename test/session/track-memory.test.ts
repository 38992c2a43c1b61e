import { describe, expect, it } from 'vitest';
import type { PlaybackSettings } from '../../src/commands/services.js';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import { raw, rawSignIn } from '../helpers/demo-http.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { demoServices } from '../helpers/tui-services.js';

// The demo clip's streams as the server numbers them: 0 external German SRT, 1 video, 2 English
// audio (default), 3 French audio, 4 English subtitle (default), 5 Spanish subtitle. mpv knows
// the file's own by their place: French audio and Spanish subtitles are the second of each.
const FRENCH = { embedded: 1 };
const SPANISH = { embedded: 1 };

const server = useDemoServer({ library: { movies: 12 } });
const forgetful = useDemoServer({ library: { movies: 4 }, users: [{ name: 'demo', password: 'demo', rememberAudioSelections: false }] });

const used = new Map<DemoServer, number>();
/** A film no other test touched. */
function freshFilm(demo: DemoServer): string {
  const next = used.get(demo) ?? 0;
  used.set(demo, next + 1);
  return demo.library.all().filter((item) => item.type === 'Movie')[next]!.id;
}

/** Another client (Jellyfin's web player) plays the film with French audio and Spanish subtitles, which the server remembers. */
async function playedElsewhere(demo: DemoServer, itemId: string): Promise<void> {
  const token = await rawSignIn(demo, 'web-browser');
  for (const path of ['/Sessions/Playing', '/Sessions/Playing/Progress']) {
    const reply = await raw(demo, 'POST', path, { token, body: { ItemId: itemId, PositionTicks: 0, AudioStreamIndex: 3, SubtitleStreamIndex: 5 } });
    expect(reply.status).toBe(204);
  }
}

/** The tracks reelterm gives mpv for the film, with these language settings. */
async function tracksPlayed(demo: DemoServer, itemId: string, languages: { audio: string[]; subtitles: string[] }) {
  const playback: PlaybackSettings = { continuousPlay: false, audioLanguages: languages.audio, subtitleLanguages: languages.subtitles, skipSegments: 'off', skipSegmentTypes: [] };
  const { services, client, players } = await demoServices(demo, { playback });
  await services.play(await client.item(itemId), 0);
  const configured = players[0]!.configured.get(0) as { audio?: unknown; subtitle?: unknown };
  await services.stopPlayback();
  return { audio: configured.audio, subtitle: configured.subtitle };
}

describe('the tracks a film starts on', () => {
  it('a film played before starts on the tracks the server remembers, over the language settings', async () => {
    const demo = server();
    const film = freshFilm(demo);
    await playedElsewhere(demo, film);
    expect(await tracksPlayed(demo, film, { audio: ['en'], subtitles: ['en'] })).toEqual({ audio: FRENCH, subtitle: SPANISH });
  });

  it('a film never played starts on the language settings, not on the server\'s own pick', async () => {
    const demo = server();
    expect(await tracksPlayed(demo, freshFilm(demo), { audio: ['fr'], subtitles: ['es'] })).toEqual({ audio: FRENCH, subtitle: SPANISH });
  });

  it('a user whose server does not remember audio gets the language settings for audio, and the remembered subtitles', async () => {
    // Given the server keeps subtitle choices but not audio ones, so its audio default is its own pick, English
    const demo = forgetful();
    const film = freshFilm(demo);
    await playedElsewhere(demo, film);
    // Then French audio from the settings, Spanish subtitles as remembered (not English from the settings)
    expect(await tracksPlayed(demo, film, { audio: ['fr'], subtitles: ['en'] })).toEqual({ audio: FRENCH, subtitle: SPANISH });
  });
});
