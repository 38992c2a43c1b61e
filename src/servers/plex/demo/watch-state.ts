/**
 * Each account's watch state per item (`viewOffset`, `viewCount`, `lastViewedAt`, PLEX.md §1:
 * omitted when unset), the play history the server writes for a watched-by-playback crossing
 * (and never for a scrobble, PLEX.md §0.2), and which items were hidden from Continue Watching.
 */

/** One account's state of one item; a field is absent when unset. */
export interface WatchState {
  /** Resume point, ms. */
  viewOffset?: number;
  viewCount?: number;
  /** Epoch seconds on the server's clock. */
  lastViewedAt?: number;
}

/** One row of `/status/sessions/history/all`. */
export interface HistoryRow {
  historyId: number;
  ratingKey: string;
  accountId: number;
  /** Epoch seconds on the server's clock. */
  viewedAt: number;
  /** The client identifier of the player that crossed the threshold. */
  deviceId: string;
}

/** The server's store of watch state and history. */
export class WatchStore {
  private readonly states = new Map<string, WatchState>();
  private readonly hidden = new Set<string>();
  readonly history: HistoryRow[] = [];
  private nextHistoryId = 0;

  private static key(accountId: number, ratingKey: string): string {
    return `${accountId}:${ratingKey}`;
  }

  /** A copy of the state (empty when the account never touched the item). */
  get(accountId: number, ratingKey: string): WatchState {
    return { ...this.states.get(WatchStore.key(accountId, ratingKey)) };
  }

  /** Replaces the state; undefined fields are dropped, so they stay omitted on the wire. */
  put(accountId: number, ratingKey: string, state: WatchState): void {
    const clean: WatchState = {};
    if (state.viewOffset !== undefined) clean.viewOffset = state.viewOffset;
    if (state.viewCount !== undefined && state.viewCount > 0) clean.viewCount = state.viewCount;
    if (state.lastViewedAt !== undefined) clean.lastViewedAt = state.lastViewedAt;
    this.states.set(WatchStore.key(accountId, ratingKey), clean);
  }

  /** Adds a history row. */
  addHistory(row: Omit<HistoryRow, 'historyId'>): HistoryRow {
    this.nextHistoryId += 1;
    const full = { ...row, historyId: this.nextHistoryId };
    this.history.push(full);
    return full;
  }

  /** Hides an item from the account's Continue Watching, or shows it again. */
  setHidden(accountId: number, ratingKey: string, hidden: boolean): void {
    const key = WatchStore.key(accountId, ratingKey);
    if (hidden) this.hidden.add(key);
    else this.hidden.delete(key);
  }

  isHidden(accountId: number, ratingKey: string): boolean {
    return this.hidden.has(WatchStore.key(accountId, ratingKey));
  }

  /** The ratingKeys an account has a resume point on, most recently viewed first. */
  inProgress(accountId: number): string[] {
    const prefix = `${accountId}:`;
    const found: Array<[string, number]> = [];
    for (const [key, state] of this.states) {
      if (key.startsWith(prefix) && state.viewOffset !== undefined) found.push([key.slice(prefix.length), state.lastViewedAt ?? 0]);
    }
    return found.sort((a, b) => b[1] - a[1]).map(([ratingKey]) => ratingKey);
  }
}
