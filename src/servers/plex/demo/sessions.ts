/**
 * "Now Playing" sessions (PLEX.md §0.8, §7.2.1): one per (`X-Plex-Client-Identifier`,
 * `X-Plex-Session-Identifier`, ratingKey), opened or refreshed by `playing`, `paused` and
 * `buffering` reports and closed by `stopped`. A session also remembers whether it saw a report
 * below the completion point, which is what lets a later report cross it (PLEX.md §0.5).
 */

/** One open playback as `/status/sessions` shows it. */
export interface NowPlaying {
  accountId: number;
  clientIdentifier: string;
  /** `X-Plex-Session-Identifier`, when the client sent one. */
  sessionIdentifier?: string;
  ratingKey: string;
  state: 'playing' | 'paused' | 'buffering';
  /** The last reported position, ms. */
  time: number;
  product?: string;
  device?: string;
  platform?: string;
  /** Epoch ms on the server's clock. */
  startedAt: number;
  updatedAt: number;
  /** A report in (0, completion point) came in this session: the next one at or above it marks the item watched. */
  armed: boolean;
  /** This session already marked the item watched (one crossing counts once). */
  crossed: boolean;
  /** A termination the next report of this session is told about (PLEX.md §5.1). */
  termination?: { code: number; text: string };
}

/** The key that tells sessions apart. */
export function sessionKey(clientIdentifier: string, sessionIdentifier: string | undefined, ratingKey: string): string {
  return `${clientIdentifier}\u0000${sessionIdentifier ?? ''}\u0000${ratingKey}`;
}

/** The open sessions. */
export class Sessions {
  private readonly open = new Map<string, NowPlaying>();

  get(key: string): NowPlaying | undefined {
    return this.open.get(key);
  }

  upsert(key: string, session: NowPlaying): void {
    this.open.set(key, session);
  }

  remove(key: string): void {
    this.open.delete(key);
  }

  /** Every open session, oldest first. */
  list(): NowPlaying[] {
    return [...this.open.values()].map((session) => ({ ...session }));
  }

  /**
   * Marks open sessions (all, or those of one client or item) to be told on their next report that
   * the server ended them (`terminationCode`, e.g. 2006 "Admin terminated playback"); returns how many.
   */
  terminate(code: number, text: string, only: { clientIdentifier?: string; ratingKey?: string } = {}): number {
    let count = 0;
    for (const session of this.open.values()) {
      if ((only.clientIdentifier ?? session.clientIdentifier) === session.clientIdentifier && (only.ratingKey ?? session.ratingKey) === session.ratingKey) {
        session.termination = { code, text };
        count += 1;
      }
    }
    return count;
  }

  clear(): void {
    this.open.clear();
  }
}
