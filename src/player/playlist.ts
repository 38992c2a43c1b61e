/**
 * The files of one playback: our entries, mpv's ids for them, which one plays, and the moves
 * from one to the next (asked for with next/previous, or mpv's own).
 */
import type { PlayerEntry, PlayerOptions } from './options.js';

/** A file that ended while mpv may go on to another: how it ended, and where. */
export interface EndedBetween {
  reason: 'eof' | 'skip';
  positionSeconds: number;
  durationSeconds: number | undefined;
}

export class Playlist {
  readonly entries: PlayerEntry[];
  /** mpv's playlist entry ids, to our entry index. */
  private readonly entryIndex = new Map<number, number>();
  /** Which entry plays (0 is the first file). */
  current = 0;
  /** mpv's playlist entry id of the file playing (undefined before loadfile said it). */
  entryId: number | undefined;
  /** The current file ended and mpv may go on to another: how it ended, until start-file or idle. */
  between: EndedBetween | undefined;
  /** `next()`/`previous()` asked mpv to move: its end-file "stop" is a skip, not the end. */
  skipRequested = false;

  constructor(options: PlayerOptions) {
    const { next = [], ...first } = options;
    this.entries = [first, ...next.map((entry) => ({ ...entry }))];
  }

  /** The entry that plays. */
  get currentEntry(): PlayerEntry {
    return this.entries[this.current]!;
  }

  /** Whether the entry that plays is the last. */
  get onLast(): boolean {
    return this.current === this.entries.length - 1;
  }

  /** mpv's playlist entry ids for our entries, as loadfile answered (the first plays). */
  identify(entryIds: ReadonlyArray<number | undefined>): void {
    entryIds.forEach((entryId, index) => {
      if (typeof entryId === 'number') this.entryIndex.set(entryId, index);
      if (typeof entryId === 'number' && index === 0) this.entryId = entryId;
    });
  }

  /**
   * mpv started the file with `entryId`. When it is another of ours, it becomes the one that
   * plays: returns its index and how the one before ended, if its end-file said. Else undefined.
   */
  moveTo(entryId: number): { index: number; ended: EndedBetween | undefined } | undefined {
    const index = this.entryIndex.get(entryId);
    if (index === undefined || entryId === this.entryId) return undefined;
    const ended = this.between;
    this.between = undefined;
    this.skipRequested = false;
    this.current = index;
    this.entryId = entryId;
    return { index, ended };
  }

  /**
   * Asks mpv, through `move`, to go on to entry `to`. False, doing nothing, when there is no such
   * entry or the playback has `ended`.
   */
  async skip(to: number, ended: boolean, move: () => Promise<void>): Promise<boolean> {
    // Between two files mpv is already moving on: the key is taken as done, not as "the last one".
    if (this.between !== undefined) return true;
    if (to < 0 || to >= this.entries.length || ended) return false;
    this.skipRequested = true;
    try {
      await move();
    } catch (error) {
      this.skipRequested = false;
      throw error;
    }
    return true;
  }
}
