import { log } from '../log.js';

/** Events held for the first subscriber; older ones are dropped beyond this. */
const HELD_EVENTS_MAX = 1000;

/**
 * Hands events to listeners in order. Events before the first subscriber are held for it (a
 * launch resolves before anyone can subscribe); a listener that throws is logged, never stops the rest.
 */
export class EventRelay<T extends { type: string }> {
  private readonly listeners = new Set<(event: T) => void>();
  private held: T[] | undefined = [];

  /** Calls `listener` with every event from now on (and those held for the first); returns the unsubscribe function. */
  subscribe(listener: (event: T) => void): () => void {
    this.listeners.add(listener);
    const held = this.held;
    if (held !== undefined) {
      if (held.length === 0) this.held = undefined;
      else
        queueMicrotask(() => {
          // Events emitted meanwhile were appended to `held`, so order is kept.
          while (held.length > 0) this.deliver(held.shift()!);
          this.held = undefined;
        });
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: T): void {
    if (this.held !== undefined) {
      if (this.held.length >= HELD_EVENTS_MAX) this.held.shift();
      this.held.push(event);
      return;
    }
    this.deliver(event);
  }

  private deliver(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        log.warn('a player listener failed', { error, event: event.type });
      }
    }
  }
}
