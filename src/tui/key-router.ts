import type { Key } from 'ink';
import { splitKeys } from './key-stream.js';
import { parseKey } from './keypress.js';

const CTRL_C = '\x03';
/** The start of an escape sequence at the end of a read: esc, `esc [` with parameters, or `esc O`. */
const PARTIAL_ESCAPE = /\x1b(?:\[[0-9;:<=>?]*[ -/]*|O)?$/;
/** How long the rest of a cut escape sequence is waited for. */
const ESCAPE_WAIT_MS = 30;

/** A key handler; returning true says the key was the screen's own (text typed, a question answered): the app's keys skip it. */
export type KeyHandler = (input: string, key: Key) => boolean | void;

/** A screen's handler as registered: read at key time, so it is always the newest one drawn. */
export interface KeyRegistration {
  handler: () => KeyHandler;
  active: () => boolean;
}

/**
 * A screen's keys wait: it is loading the list they are meant for, or it is on its way out (the
 * player after `s`, waiting for sync). A key that `waits` stays queued, and every key behind it,
 * until the hold is released or the screen is gone; a key that `cancels` (esc: the user leaves)
 * ends the wait, and the keys queued before it, which were meant for the screen being left, are dropped.
 */
export interface KeyHold {
  /** The keys that wait (default: every key but those that cancel). */
  waits?: (input: string, key: Key) => boolean;
  cancels: (input: string, key: Key) => boolean;
}

/** A hold's end: `drop` also throws away the keys that were waiting for it (what they were for failed to load). */
export type ReleaseHold = (drop?: boolean) => void;

interface Scope {
  ready: boolean;
  handlers: KeyRegistration[];
  holds: Set<KeyHold>;
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
  /** The scope whose hold the first queued key waits for, if it waits. */
  private waitingOn: Scope | undefined;
  /** The start of an escape sequence whose rest has not come yet. */
  private partial = '';
  private partialTimer: ReturnType<typeof setTimeout> | undefined;

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
    // An escape sequence cut between two reads (a slow ssh link) waits a moment for its rest,
    // rather than arriving as esc and letters; a lone esc goes on after that moment.
    let text = this.partial + chunk;
    this.partial = '';
    if (this.partialTimer !== undefined) clearTimeout(this.partialTimer);
    this.partialTimer = undefined;
    const cut = PARTIAL_ESCAPE.exec(text);
    if (cut !== null) {
      this.partial = cut[0];
      text = text.slice(0, cut.index);
      this.partialTimer = setTimeout(() => {
        this.partialTimer = undefined;
        const rest = this.partial;
        this.partial = '';
        this.take(rest);
      }, ESCAPE_WAIT_MS);
      this.partialTimer.unref?.();
    }
    this.take(text);
  }

  private take(text: string): void {
    for (const raw of splitKeys(text)) {
      // Ctrl+C never waits behind other keys: quitting now is its whole point.
      if (raw === CTRL_C) {
        const { input, key } = parseKey(raw);
        this.app.intercept(input, key);
      } else this.queue.push(raw);
    }
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

  /** Holds a screen's keys (see {@link KeyHold}) until the returned release is called or the screen is gone. */
  hold(scope: string, hold: KeyHold): ReleaseHold {
    const entry = this.scope(scope);
    // Its own entry: two holds of one kind (the search box and its results) end apart.
    const mine = { ...hold };
    entry.holds.add(mine);
    return (drop = false) => {
      if (!entry.holds.delete(mine)) return;
      if (drop && this.waitingOn === entry) this.clear();
      queueMicrotask(() => this.pump());
    };
  }

  /** A screen is gone, handlers and all. */
  drop(scope: string): void {
    this.scopes.delete(scope);
    queueMicrotask(() => this.pump());
  }

  /** Drops the keys not handled yet (leaving the app). */
  clear(): void {
    this.queue.length = 0;
    this.headIntercepted = false;
    this.waitingOn = undefined;
    if (this.partialTimer !== undefined) clearTimeout(this.partialTimer);
    this.partialTimer = undefined;
    this.partial = '';
  }

  private scope(id: string): Scope {
    let entry = this.scopes.get(id);
    if (entry === undefined) {
      entry = { ready: false, handlers: [], holds: new Set() };
      this.scopes.set(id, entry);
    }
    return entry;
  }

  private waits(scope: Scope, input: string, key: Key): boolean {
    for (const hold of scope.holds) {
      if (hold.waits ? hold.waits(input, key) : !hold.cancels(input, key)) return true;
    }
    return false;
  }

  private cancels(scope: Scope, chunk: string): boolean {
    const { input, key } = parseKey(chunk);
    for (const hold of scope.holds) if (hold.cancels(input, key)) return true;
    return false;
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
        if (scope === undefined || !scope.ready) {
          this.waitingOn = undefined;
          return;
        }
        if (this.waits(scope, input, key)) {
          const cancel = this.queue.findIndex((chunk, at) => at > 0 && this.cancels(scope, chunk));
          if (cancel < 0) {
            this.waitingOn = scope;
            return;
          }
          this.queue.splice(0, cancel);
          this.headIntercepted = false;
          continue;
        }
        this.waitingOn = undefined;
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
