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
 * that screen is on the screen with its handlers in place. A key that opens a screen is
 * therefore followed by keys that reach the new screen, however fast they came.
 *
 * The app's own keys come in two parts: `intercept` sees a key first (help, quitting);
 * `fallback` sees it after the screen, unless the screen took it (esc, `/`, `q` …).
 */
export class KeyRouter {
  private readonly queue: string[] = [];
  private readonly scopes = new Map<string, Scope>();
  private pumping = false;

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

  /** A screen is drawn with its handlers in place (true), or gone (false). Queued keys for it go now. */
  setReady(scope: string, ready: boolean): void {
    if (ready) {
      this.scope(scope).ready = true;
      // After the commit that made it ready, so a key's effects never run inside React's commit.
      queueMicrotask(() => this.pump());
    } else {
      this.scopes.delete(scope);
    }
  }

  /** Drops the keys not handled yet (leaving the app). */
  clear(): void {
    this.queue.length = 0;
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
        const scope = this.scopes.get(this.app.current());
        // The screen a key opened is not drawn yet: the key waits for it, never goes to the one before.
        if (scope === undefined || !scope.ready) return;
        const { input, key } = parseKey(this.queue.shift()!);
        if (this.app.intercept(input, key)) continue;
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
