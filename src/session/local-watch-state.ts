/** What the user did to an item in this run, ahead of the server. */
export interface LocalWatch {
  played: boolean;
  positionTicks: number;
}

/** An item as far as its place goes: its own id and the series and season it is in, if any. */
export interface WatchedItem {
  id: string;
  seriesId?: string | undefined;
  seasonId?: string | undefined;
}

interface Change extends LocalWatch {
  order: number;
  /** The change this one replaced, shown again should this one be taken back. */
  previous?: Change;
}

/**
 * The user's own watch changes (marks, finished playbacks) kept locally, so every list shows
 * them at once even while the server is away. Server data is overlaid with these. A mark on a
 * series or season covers every episode in it, as the server marks folders, until a later
 * change to one of them.
 */
export class LocalWatchState {
  private readonly changes = new Map<string, Change>();
  private readonly folders = new Map<string, Change>();
  /** Ids marked as a series or season in this run. */
  private readonly folderIds = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  /** Records the item's state as the user left it; returns the change's number, for {@link forget}. */
  set(itemId: string, watch: LocalWatch): number {
    const order = this.version + 1;
    const previous = this.changes.get(itemId);
    // (one step back is kept: the mark before this one)
    this.changes.set(itemId, { ...watch, order, ...(previous ? { previous: { ...previous, previous: undefined } } : {}) });
    this.changed();
    return order;
  }

  /** Records a mark on a series or season: the folder and everything in it, played or not, from the start. */
  markFolder(folderId: string, played: boolean): number {
    const previous = this.changes.get(folderId);
    const change: Change = { played, positionTicks: 0, order: this.version + 1, ...(previous ? { previous: { ...previous, previous: undefined } } : {}) };
    this.changes.set(folderId, change);
    this.folders.set(folderId, change);
    this.folderIds.add(folderId);
    this.changed();
    return change.order;
  }

  /**
   * Takes back change number `order` to the item or folder, unless a newer change replaced it:
   * the server never took it (refused for good, changed elsewhere, discarded), so the lists show
   * the server's state again rather than a mark that is not there.
   */
  forget(id: string, order: number): void {
    const change = this.changes.get(id);
    if (change?.order !== order) return;
    // What the user had before it (a mark the server took) shows again; else the server's state as listed.
    if (change.previous !== undefined) this.changes.set(id, change.previous);
    else this.changes.delete(id);
    if (this.folders.get(id)?.order === order) {
      if (change.previous !== undefined) this.folders.set(id, change.previous);
      else this.folders.delete(id);
    }
    this.changed();
  }

  /** The server took a mark (sent again from the failed ones, say): it shows, unless a newer change of the user's waits. */
  landed(id: string, played: boolean): void {
    if (this.changes.get(id)?.played === played) return;
    if (this.folderIds.has(id)) this.markFolder(id, played);
    else this.set(id, { played, positionTicks: 0 });
  }

  /** The change made to this item itself, if any (not through its series or season). */
  get(itemId: string): LocalWatch | undefined {
    return strip(this.changes.get(itemId));
  }

  /** The newest change that applies to the item: its own, or a mark on its series or season. */
  of(item: WatchedItem): LocalWatch | undefined {
    let newest = this.changes.get(item.id);
    for (const folder of [item.seriesId, item.seasonId]) {
      const mark = folder === undefined ? undefined : this.folders.get(folder);
      if (mark !== undefined && (newest === undefined || mark.order > newest.order)) newest = mark;
    }
    return strip(newest);
  }

  /** `server` with the local change for the item (an id, or an item with its series and season), when there is one. */
  overlay<T extends LocalWatch>(item: string | WatchedItem, server: T): T {
    const local = this.of(typeof item === 'string' ? { id: item } : item);
    return local === undefined ? server : { ...server, ...local };
  }

  /** Increases on every change (a cheap snapshot for React). */
  get revision(): number {
    return this.version;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}

function strip(change: Change | undefined): LocalWatch | undefined {
  return change === undefined ? undefined : { played: change.played, positionTicks: change.positionTicks };
}
