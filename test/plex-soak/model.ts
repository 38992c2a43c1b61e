/**
 * What the Plex server must hold for each film after the user's actions, by Plex's rules
 * (PLEX.md §0.2–§0.5, §5): a `w` mark adds one view and clears the resume point, an unmark
 * clears everything, a playback that reached the played threshold (90 % of 600 s here) adds one
 * view and clears the resume point, a playback that ended between 60 s and the threshold leaves
 * its final position, and one that ended at or under 60 s (never above it) leaves the item as it
 * was. Each film also keeps its story (the user's actions, the faults around them), for the
 * failure report.
 */

/** The film's runtime (the demo's clip), in seconds. */
export const RUNTIME_S = 600;
/** The server's played threshold (90 %, no credits markers on films), in ms. */
export const THRESHOLD_MS = 540_000;
/** Plex keeps no resume point at or under this (ms). */
export const FLOOR_MS = 60_000;

/** What the server holds for one film (`viewOffset` absent: no resume point). */
export interface Held {
  viewCount: number;
  viewOffset: number | undefined;
}

/** What a film may hold after a kill cut one of its playbacks short (which reports got out is not known). */
export interface Plausible {
  viewCounts: number[];
  viewOffsets: Array<number | undefined>;
  why: string;
}

export const NOTHING: Held = { viewCount: 0, viewOffset: undefined };

/** `w` on an unwatched film (`/:/scrobble`, one view, no resume point) or a watched one (`/:/unscrobble`: everything cleared). */
export function afterMark(before: Held, played: boolean): Held {
  return played ? { viewCount: before.viewCount + 1, viewOffset: undefined } : { ...NOTHING };
}

/**
 * A playback whose last position was `finalMs`: reached the threshold (one more view, no resume
 * point), between the floor and the threshold (that resume point), or at/under the floor (as it was;
 * such a playback never went above the floor, see the soak's shapes).
 */
export function afterPlayback(before: Held, finalMs: number): Held {
  if (finalMs >= THRESHOLD_MS) return { viewCount: before.viewCount + 1, viewOffset: undefined };
  if (finalMs > FLOOR_MS) return { viewCount: before.viewCount, viewOffset: finalMs };
  return before;
}

/**
 * A playback killed with reelterm after reporting `positionsMs` (queued, perhaps not all sent):
 * the view counts once if it had reached the threshold, or not at all; the resume point is the
 * one before, or any reported one Plex keeps, or none after a counted view.
 */
export function afterKilledPlayback(before: Held, positionsMs: number[]): Plausible {
  const reached = positionsMs.some((ms) => ms >= THRESHOLD_MS);
  const kept = positionsMs.filter((ms) => ms > FLOOR_MS && ms < THRESHOLD_MS);
  return {
    viewCounts: reached ? [before.viewCount, before.viewCount + 1] : [before.viewCount],
    viewOffsets: [before.viewOffset, ...kept, ...(reached ? [undefined] : [])],
    why: `reelterm was killed during a playback that had reported ${positionsMs.map((ms) => `${ms / 1000} s`).join(', ')}`,
  };
}

export function sameHeld(a: Held, b: Held): boolean {
  return a.viewCount === b.viewCount && a.viewOffset === b.viewOffset;
}

export function showHeld(held: Held): string {
  return `viewCount ${held.viewCount}, viewOffset ${held.viewOffset === undefined ? 'none' : `${held.viewOffset / 1000} s`}`;
}

/** The films' expected states and stories. */
export class Ledger {
  private readonly held = new Map<string, Held>();
  private readonly tainted = new Map<string, Plausible>();
  private readonly stories = new Map<string, string[]>();

  constructor(readonly stamp: () => string) {}

  /** What the film must hold now (films never touched hold nothing). */
  expected(itemId: string): Held {
    return { ...(this.held.get(itemId) ?? NOTHING) };
  }

  set(itemId: string, held: Held): void {
    this.held.set(itemId, { ...held });
  }

  touched(): string[] {
    return [...new Set([...this.held.keys(), ...this.tainted.keys()])];
  }

  /** A kill cut a playback short: the film's state is one of several until the next checkpoint reads it. */
  taint(itemId: string, plausible: Plausible): void {
    this.tainted.set(itemId, plausible);
  }

  plausible(itemId: string): Plausible | undefined {
    return this.tainted.get(itemId);
  }

  isTainted(itemId: string): boolean {
    return this.tainted.has(itemId);
  }

  /** The checkpoint read the film: its state is known again. */
  resolve(itemId: string, held: Held): void {
    this.tainted.delete(itemId);
    this.set(itemId, held);
  }

  /** Adds a line to the film's story, stamped now (or with a stamp taken earlier: when the action began). */
  note(itemId: string, line: string, stamp = this.stamp()): void {
    const story = this.stories.get(itemId) ?? [];
    story.push(`${stamp} ${line}`);
    this.stories.set(itemId, story);
  }

  story(itemId: string): string[] {
    return this.stories.get(itemId) ?? [];
  }
}
