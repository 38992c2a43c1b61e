import type { Key } from 'ink';
import { splitKeys } from './key-stream.js';
import { parseKey } from './keypress.js';

/** A key handler; returning true says the key was the screen's own (text typed, a question answered): the app's keys skip it. */
export type KeyHandler = (input: string, key: Key) => boolean | void;

/** A screen's handler as registered: read at key time, so it is always the newest one drawn. */
export interface KeyRegistration {
  handler: () => KeyHandler;
  active: () => boolean;
}

interface Scope {
  ready: boolean;
  handlers: KeyRegistration[];
}

/**
 * The one owner of keys. Everything the terminal sends is cut into single keys and queued;
 * each key goes, in order, to the screen that is current when it is handled, and only once
 * that screen has been drawn showing, with its handlers in place. A key that opens a screen,
 * goes back, or closes the help is therefore followed by keys that reach the screen now
 * showing, as it is drawn, however fast they came.
 *
 * The app's own keys come in two parts: `intercept` sees a key first (help, quitting);
 * `fallback` sees it after the screen, unless the screen took it (esc, `/`, `q` …).
 */
export class KeyRouter {
  private readonly queue: string[] = [];
  private readonly scopes = new Map<string, Scope>();
  private pumping = false;
  /** The app's `intercept` has seen the first queued key, which waits for its screen to be drawn. */
  private headIntercepted = false;

  constructor(
    private readonly app: {
      /** The id of the screen that keys go to now (read before each key). */
      current: () => string;
      intercept: (input: string, key: Key) => boolean;
      fallback: (input: string, key: Key) => void;
    },
  ) {}

  /** What the terminal sent: one key or many (a paste, keys over ssh, a busy machine). */
  receive(chunk: string): void {
    this.queue.push(...splitKeys(chunk));
    this.pump();
  }

  /** Adds a handler to a screen's scope; returns its removal. */
  register(scope: string, registration: KeyRegistration): () => void {
    const entry = this.scope(scope);
    entry.handlers.push(registration);
    return () => {
      entry.handlers = entry.handlers.filter((candidate) => candidate !== registration);
    };
  }

  /**
   * A screen is drawn showing, with its handlers in place (true), or is drawn hidden: under
   * another screen or behind the help (false). Keys for a hidden screen wait until it has been
   * drawn showing, so its handlers never judge a key by a frame in which it was hidden.
   */
  setReady(scope: string, ready: boolean): void {
    this.scope(scope).ready = ready;
    // After the commit that made it ready, so a key's effects never run inside React's commit.
    if (ready) queueMicrotask(() => this.pump());
  }

  /** A screen is gone, handlers and all. */
  drop(scope: string): void {
    this.scopes.delete(scope);
  }

  /** Drops the keys not handled yet (leaving the app). */
  clear(): void {
    this.queue.length = 0;
    this.headIntercepted = false;
  }

  private scope(id: string): Scope {
    let entry = this.scopes.get(id);
    if (entry === undefined) {
      entry = { ready: false, handlers: [] };
      this.scopes.set(id, entry);
    }
    return entry;
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const { input, key } = parseKey(this.queue[0]!);
        // The app's keys first (closing the help, Ctrl+C): they need no screen drawn, and a key
        // that closes the help must not wait for a screen that is ready only once it is closed.
        if (!this.headIntercepted) {
          if (this.app.intercept(input, key)) {
            this.queue.shift();
            continue;
          }
          this.headIntercepted = true;
        }
        const scope = this.scopes.get(this.app.current());
        // The screen a key opened (or uncovered) is not drawn yet: the key waits for it, never goes to the one before.
        if (scope === undefined || !scope.ready) return;
        this.queue.shift();
        this.headIntercepted = false;
        let taken = false;
        for (const registration of [...scope.handlers]) {
          if (registration.active() && registration.handler()(input, key) === true) taken = true;
        }
        if (!taken) this.app.fallback(input, key);
      }
    } finally {
      this.pumping = false;
    }
  }
}
