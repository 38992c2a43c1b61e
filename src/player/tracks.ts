/**
 * The current file's audio and subtitle tracks: what mpv has, the entry's subtitle files and
 * track choice applied once the file loads, and when the selection changed enough to say so.
 */
import { log } from '../log.js';
import type { TrackRef } from './events.js';
import type { MpvCommand } from './ipc.js';
import type { PlayerEntry } from './options.js';
import { parseTrackList, sameTrack, type MpvTrack } from './track-list.js';

/** The selected audio and subtitle tracks (null: none). */
export interface TrackSelection {
  audio: TrackRef | null;
  subtitle: TrackRef | null;
}

/**
 * How the tracks reach mpv: the player's commands (quiet once playback has ended), property
 * reads, and the wait until the file plays with no seek under way (false: it ended first).
 */
export interface TrackCommands {
  control(command: MpvCommand): Promise<void>;
  getProperty(name: string): Promise<unknown>;
  settled(): Promise<boolean>;
}

export class Tracks {
  /** The tracks mpv has for the current file. */
  list: MpvTrack[] = [];
  /** The current file is loaded (tracks can be added and selected). */
  loaded = false;
  private selected: TrackSelection | undefined;
  /** Counts the viewer's own choices (`a`, `c`): a setup under way when one comes leaves it be. */
  private choices = 0;

  constructor(private readonly mpv: TrackCommands) {}

  /** mpv's `track-list` changed. */
  update(data: unknown): void {
    this.list = parseTrackList(data);
  }

  /** The selection when it changed since it was last reported (for a `tracks` event), else undefined. */
  changedSelection(): TrackSelection | undefined {
    const audio = this.list.find((track) => track.type === 'audio' && track.selected)?.ref ?? null;
    const subtitle = this.list.find((track) => track.type === 'sub' && track.selected)?.ref ?? null;
    if (this.selected !== undefined && sameTrack(this.selected.audio, audio) && sameTrack(this.selected.subtitle, subtitle)) return undefined;
    // Between files the list is empty: say nothing until the next file has its tracks.
    if (this.list.length === 0) return undefined;
    this.selected = { audio, subtitle };
    return this.selected;
  }

  /** The viewer's own choice of track: a setup still selecting the entry's tracks stops before undoing it. */
  choose(kind: 'audio' | 'subtitle', ref: TrackRef | null): Promise<boolean> {
    this.choices += 1;
    return this.select(kind, ref);
  }

  /**
   * Selects an audio or subtitle track (null: subtitles off); false when the current file has no
   * such track, or ended before the switch could be made.
   */
  async select(kind: 'audio' | 'subtitle', ref: TrackRef | null): Promise<boolean> {
    const property = kind === 'audio' ? 'aid' : 'sid';
    if (ref === null) return this.switch(['set_property', property, 'no']);
    const type = kind === 'audio' ? 'audio' : 'sub';
    // (the last list mpv told of when it cannot be read now: already parsed, so not parsed again)
    const list = await this.mpv.getProperty('track-list').then(parseTrackList, () => this.list);
    const track = list.find((candidate) => candidate.type === type && sameTrack(candidate.ref, ref));
    if (track === undefined) return false;
    return this.switch(['set_property', property, track.id]);
  }

  /** Adds the entry's subtitle files and selects its tracks; a failure leaves mpv's choice. */
  async setUp(entry: PlayerEntry): Promise<void> {
    const choices = this.choices;
    try {
      // A file mpv has already (tracks set up again when the server's details came late) is not added twice.
      const added = new Set(this.list.flatMap((track) => (track.ref !== undefined && 'url' in track.ref ? [track.ref.url] : [])));
      for (const file of entry.subtitleFiles ?? []) {
        if (added.has(file.url)) continue;
        if (!(await this.switch(['sub-add', file.url, 'auto', file.title ?? '', file.lang ?? '']))) return;
      }
      // A key pressed while the files were added (a first `c` as the film starts) is the viewer's word.
      if (entry.audio !== undefined && this.choices === choices) await this.select('audio', entry.audio);
      if (entry.subtitle !== undefined && this.choices === choices) await this.select('subtitle', entry.subtitle);
    } catch (error) {
      log.warn('could not set up the tracks', { error });
    }
  }

  /**
   * Sends a command that changes the file's tracks once mpv plays with no seek under way
   * (false, sending nothing, when the file ended first). mpv 0.35 switching a track while it
   * seeks in a network stream (the first seek to the start position, a seek the viewer asked
   * for, a switch just made) can stay seeking for good: nothing more plays, nothing is reported.
   */
  private async switch(command: MpvCommand): Promise<boolean> {
    if (!(await this.mpv.settled())) return false;
    await this.mpv.control(command);
    return true;
  }
}
