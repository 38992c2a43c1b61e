/** What the user did to an item in this run, ahead of the server. */
export interface LocalWatch {
  played: boolean;
  positionTicks: number;
}

/**
 * The user's own watch changes (marks, finished playbacks) kept locally, so every list shows
 * them at once even while the server is away. Server data is overlaid with these.
 */
export class LocalWatchState {
  private readonly changes = new Map<string, LocalWatch>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  /** Records the item's state as the user left it. */
  set(itemId: string, watch: LocalWatch): void {
    this.changes.set(itemId, watch);
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  get(itemId: string): LocalWatch | undefined {
    return this.changes.get(itemId);
  }

  /** `server` with the local change for `itemId`, when there is one. */
  overlay<T extends LocalWatch>(itemId: string, server: T): T {
    const local = this.changes.get(itemId);
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
}
