import { describe, expect, it, onTestFinished } from 'vitest';
import { PlaybackRun, type EntryDetails, type RunEntry, type RunPlayer } from '../../src/session/playback-run.js';
import type { PlayerEvent, TrackRef } from '../../src/session/playback-session.js';
import type { MediaTracks, StreamChoice } from '../../src/session/track-choice.js';
import type { Op } from '../../src/sync/op.js';
import { memoryOutbox } from '../helpers/memory-outbox.js';
import { eventually } from '../helpers/wait.js';
import { JELLYFIN_RESUME } from '../../src/servers/jellyfin/replay-rules.js';

type Selection = { audio: TrackRef | null; subtitle: TrackRef | null };
type EntryTracks = { audio?: TrackRef; subtitle?: TrackRef | null };

const same = (a: TrackRef | null, b: TrackRef | null) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Behaves as `src/player` does with mpv: a file opens a moment after the playlist moves to it,
 * with the entry's configured tracks if they came in time (else mpv's own pick: first audio, no
 * subtitles); `tracks` is told only when the selection changes; a selected track is told at once.
 */
class MpvLike implements RunPlayer {
  private readonly listeners = new Set<(event: PlayerEvent) => void>();
  private readonly configured = new Map<number, EntryTracks>();
  private selected: Selection | undefined;
  private opened: number | undefined;
  position = 0;

  subscribe(listener: (event: PlayerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: PlayerEvent): void {
    if ('positionSeconds' in event) this.position = event.positionSeconds;
    for (const listener of this.listeners) listener(event);
  }

  async togglePause(): Promise<void> {}
  async seek(): Promise<void> {}
  async next(): Promise<boolean> {
    return false;
  }
  async previous(): Promise<boolean> {
    return false;
  }

  async stop(): Promise<void> {
    this.emit({ type: 'end', reason: 'stop', positionSeconds: this.position });
  }

  async selectTrack(kind: 'audio' | 'subtitle', ref: TrackRef | null): Promise<boolean> {
    this.select({ ...(this.selected ?? { audio: null, subtitle: null }), [kind]: ref });
    return true;
  }

  configureEntry(index: number, tracks: EntryTracks): void {
    this.configured.set(index, tracks);
    // Tracks that come for the file already playing are selected at once.
    if (index === this.opened) this.select({ audio: tracks.audio ?? this.selected?.audio ?? { embedded: 0 }, subtitle: tracks.subtitle ?? null });
  }

  /** Moves to entry `index` (after the first, the one before played out), opens it and plays from `startSeconds`. */
  async open(index: number, startSeconds = 0): Promise<void> {
    if (index > 0) this.emit({ type: 'next', index, reason: 'eof', positionSeconds: 600, durationSeconds: 600 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.opened = index;
    const chosen = this.configured.get(index);
    this.select({ audio: chosen?.audio ?? { embedded: 0 }, subtitle: chosen?.subtitle ?? null });
    this.emit({ type: 'tick', positionSeconds: startSeconds, paused: false });
  }

  private select(selection: Selection): void {
    if (this.selected !== undefined && same(this.selected.audio, selection.audio) && same(this.selected.subtitle, selection.subtitle)) return;
    this.selected = selection;
    this.emit({ type: 'tracks', ...selection });
  }
}

const choice = (index: number, language: string, embedded: number, isDefault = false): StreamChoice => ({ index, embedded, language, label: `${language} ${index}`, isDefault });

/** The demo clip's streams as the server numbers them: an external German file first, then the file's own. */
const CLIP: MediaTracks = {
  audio: [choice(2, 'eng', 0, true), choice(3, 'fre', 1)],
  subtitles: [{ index: 0, language: 'ger', label: 'ger 0', isDefault: false, url: 'http://127.0.0.1:1/ger.srt' }, choice(4, 'eng', 0, true), choice(5, 'spa', 1)],
  defaultAudioIndex: 2,
  defaultSubtitleIndex: 4,
};

const entry = (id: string): RunEntry => ({ item: { id, title: id, runtimeTicks: 600 * 10_000_000, positionTicks: 0, played: false }, mediaSourceId: id, startSeconds: 0 });

/** A run of `ids` on a real outbox whose deliveries a scripted server records; `details` answers for the entries after the first. */
function run(ids: string[], options: { first?: EntryDetails; details?: (entry: RunEntry) => Promise<EntryDetails>; audioLanguages?: string[]; subtitleLanguages?: string[] } = {}) {
  const { outbox, deliver } = memoryOutbox();
  onTestFinished(() => outbox.close());
  const player = new MpvLike();
  const playback = new PlaybackRun({ rules: JELLYFIN_RESUME,
    entries: ids.map(entry),
    player,
    outbox,
    details: options.details ?? (() => Promise.reject(new Error('offline'))),
    ...(options.first !== undefined ? { firstDetails: options.first } : {}),
    languages: { audioLanguages: options.audioLanguages ?? [], subtitleLanguages: options.subtitleLanguages ?? [] },
    segments: { mode: 'off', types: [] },
  });
  playback.start();
  /** What the server was sent for an item, of one kind, as [audio, subtitle] indexes. */
  const sent = (itemId: string, kind: Op['kind']) =>
    deliver.sent.filter((op) => op.itemId === itemId && op.kind === kind).map((op) => [op.payload.audioStreamIndex, op.payload.subtitleStreamIndex]);
  return { playback, player, outbox, sent };
}

describe('reports name the tracks that play', () => {
  it('start names the streams mpv plays, and each change the user makes is sent at once', async () => {
    // Given a film whose English audio and subtitles play
    const { playback, player, sent } = run(['film'], { first: { tracks: CLIP } });
    await player.open(0);
    await eventually(() => expect(sent('film', 'started')).toEqual([[2, 4]]), 2000);

    // When the user presses a, then c three times (Spanish, the German file, then off)
    playback.cycleTrack('audio');
    // Then the server hears each at once, not at the next progress slot (10 s away)
    await eventually(() => expect(sent('film', 'progress').at(-1)).toEqual([3, 4]), 2000);
    playback.cycleTrack('subtitle');
    await eventually(() => expect(sent('film', 'progress').at(-1)).toEqual([3, 5]), 2000);
    playback.cycleTrack('subtitle');
    await eventually(() => expect(sent('film', 'progress').at(-1)).toEqual([3, 0]), 2000);
    playback.cycleTrack('subtitle');
    await eventually(() => expect(sent('film', 'progress').at(-1)).toEqual([3, -1]), 2000);
  });

  it('names no tracks when the server could not say which it has', async () => {
    // Given the next episode's details cannot be read (the server is away)
    const { player, sent, outbox } = run(['one', 'two'], { first: { tracks: CLIP } });
    await player.open(0);
    // When it plays
    await player.open(1);
    // Then its start says nothing about tracks: a guessed index would be remembered as the user's choice
    await eventually(() => expect(sent('two', 'started')).toHaveLength(1), 2000);
    expect(sent('two', 'started')).toEqual([[undefined, undefined]]);
    await outbox.settle({ timeoutMs: 2000 });
    expect(sent('two', 'progress').every(([audio, subtitle]) => audio === undefined && subtitle === undefined)).toBe(true);
  });
});

describe('continuous play carries the tracks over', () => {
  /** The next episode numbers its streams otherwise, and the server remembers English for it. */
  const NEXT: MediaTracks = {
    audio: [choice(5, 'fre', 0), choice(6, 'eng', 1, true)],
    subtitles: [choice(7, 'spa', 0), choice(8, 'eng', 1, true)],
    defaultAudioIndex: 6,
    defaultSubtitleIndex: 8,
    remembered: { audio: true, subtitle: true },
  };
  /** Answers like a server on a slow link: the next episode's file opens sooner than this. */
  const slowly = (details: EntryDetails) => () => new Promise<EntryDetails>((resolve) => setTimeout(() => resolve(details), 50));

  it('the next episode plays the languages the user chose, and its start names them', async () => {
    // Given an English-preferring user who switched to French audio and Spanish subtitles
    const { playback, player, sent } = run(['one', 'two'], { first: { tracks: CLIP }, details: slowly({ tracks: NEXT }), audioLanguages: ['en'], subtitleLanguages: ['en'] });
    await player.open(0);
    playback.cycleTrack('audio');
    playback.cycleTrack('subtitle');
    await eventually(() => expect(playback.view).toMatchObject({ audio: 'fre 3', subtitle: 'spa 5' }), 2000);
    // When the episode plays out and the next one opens
    await new Promise((resolve) => setTimeout(resolve, 100));
    await player.open(1);
    // Then the next one plays French and Spanish, in its own numbering, from its first report on
    await eventually(() => expect(sent('two', 'started')).toEqual([[5, 7]]), 2000);
    expect(playback.view).toMatchObject({ audio: 'fre 5', subtitle: 'spa 7' });
  });

  it('an episode laid out like the one before, on the same tracks, still names them', async () => {
    // Given the user chose French and Spanish, and the next episode has the same streams in the same places
    const { playback, player, sent } = run(['one', 'two'], { first: { tracks: CLIP }, details: slowly({ tracks: CLIP }) });
    await player.open(0);
    playback.cycleTrack('audio');
    playback.cycleTrack('subtitle');
    await eventually(() => expect(sent('one', 'progress').at(-1)).toEqual([3, 5]), 2000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // When it opens (mpv selects the same places, so it tells of no change)
    await player.open(1);
    // Then its reports and the screen still name them
    await eventually(() => expect(sent('two', 'started')).toEqual([[3, 5]]), 2000);
    expect(playback.view).toMatchObject({ audio: 'fre 3', subtitle: 'spa 5' });
  });

  it('an episode whose details the server could not give at first names its tracks once it does', async () => {
    // Given the user chose French and Spanish, and the server fails the next episode's details twice (a busy server, a timeout)
    let asked = 0;
    const details = () => (++asked <= 2 ? Promise.reject(new Error('Timeout awaiting response for 2000ms')) : Promise.resolve({ tracks: NEXT }));
    const { playback, player, sent } = run(['one', 'two'], { first: { tracks: CLIP }, details, audioLanguages: ['en'], subtitleLanguages: ['en'] });
    await player.open(0);
    playback.cycleTrack('audio');
    playback.cycleTrack('subtitle');
    await eventually(() => expect(playback.view).toMatchObject({ audio: 'fre 3', subtitle: 'spa 5' }), 2000);
    // When the next episode opens with mpv's own pick
    await player.open(1);
    await eventually(() => expect(sent('two', 'started')).toEqual([[undefined, undefined]]), 2000);
    // Then reelterm asks again, and once the server answers the episode plays French and Spanish and the server hears so
    await eventually(() => expect(sent('two', 'progress').at(-1)).toEqual([5, 7]), 10_000);
    expect(playback.view).toMatchObject({ audio: 'fre 5', subtitle: 'spa 7' });
    expect(asked).toBe(3);
  });

  it('subtitles turned off stay off', async () => {
    const { playback, player, sent } = run(['one', 'two'], { first: { tracks: CLIP }, details: slowly({ tracks: NEXT }), subtitleLanguages: ['en'] });
    await player.open(0);
    // Given the user turned subtitles off (from English to Spanish, to the German file, then off)
    playback.cycleTrack('subtitle');
    playback.cycleTrack('subtitle');
    playback.cycleTrack('subtitle');
    await eventually(() => expect(playback.view.subtitle).toBe('Off'), 2000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // When the next episode opens, though the settings and the server say English
    await player.open(1);
    // Then it plays without subtitles, and English audio as remembered
    await eventually(() => expect(sent('two', 'started')).toEqual([[6, -1]]), 2000);
    expect(playback.view.subtitle).toBe('Off');
  });

  it('falls back to the remembered choice for a language the next episode lacks', async () => {
    const NO_FRENCH: MediaTracks = { ...NEXT, audio: [choice(6, 'eng', 0, true), choice(9, 'jpn', 1)] };
    const { playback, player, sent } = run(['one', 'two'], { first: { tracks: CLIP }, details: slowly({ tracks: NO_FRENCH }), audioLanguages: ['ja'] });
    await player.open(0);
    playback.cycleTrack('audio');
    await eventually(() => expect(playback.view.audio).toBe('fre 3'), 2000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await player.open(1);
    await eventually(() => expect(sent('two', 'started')).toEqual([[6, 8]]), 2000);
  });
});
