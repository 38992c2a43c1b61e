import type { Clock } from './clock.js';
import type { Deliver, SendContext } from './deliver.js';
import type { DeadLetter, Op } from './op.js';

/** What the engine does as each delivery ends (the flight is over by then), and as it sends its next request. */
export interface FlightHandlers {
  delivered: (op: Op, outcome: 'delivered' | 'superseded', sentAt: number) => void;
  expired: (op: Op) => void;
  superseded: (op: Op, server: NonNullable<DeadLetter['server']>) => void;
  failed: (op: Op, error: unknown) => void;
  /** A delivery of several requests sent its next one: the wait shown starts again. */
  nextRequest: () => void;
}

interface Flight {
  controller: AbortController;
  done: Promise<void>;
  since: number;
}

/**
 * The deliveries under way: at most one per item (an item's updates go in order), each with its
 * abort signal and when its current request left. How a delivery ends goes to the handlers.
 */
export class InFlight {
  private readonly flights = new Map<string, Flight>();
  private readonly busyItems = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly deliver: Pick<Deliver, 'send'>,
    private readonly handlers: FlightHandlers,
  ) {}

  get size(): number {
    return this.flights.size;
  }

  /** Whether op `opId` is being delivered. */
  has(opId: string): boolean {
    return this.flights.has(opId);
  }

  /** Whether one of the item's updates is being delivered: the next waits for it. */
  busy(itemId: string): boolean {
    return this.busyItems.has(itemId);
  }

  /** When the oldest request in flight was sent; null when none is. */
  oldestSince(): number | null {
    let oldest: number | null = null;
    for (const flight of this.flights.values()) if (oldest === null || flight.since < oldest) oldest = flight.since;
    return oldest;
  }

  /** Sends `op`; the engine's time is `now`; `earlierRun`: the op was queued by an earlier run of reelterm. */
  launch(op: Op, now: number, earlierRun = false): void {
    const controller = new AbortController();
    this.busyItems.add(op.itemId);
    const nextRequest = () => {
      const flight = this.flights.get(op.id);
      if (flight === undefined) return;
      flight.since = this.clock.now();
      this.handlers.nextRequest();
    };
    const context: SendContext = { signal: controller.signal, now, nextRequest };
    if (earlierRun) context.earlierRun = true;
    const done = Promise.resolve()
      .then(() => this.deliver.send(op, context))
      .then(
        (outcome) => {
          this.end(op);
          if (outcome === 'expired') this.handlers.expired(op);
          else if (typeof outcome === 'object') this.handlers.superseded(op, outcome.superseded);
          else this.handlers.delivered(op, outcome, now);
        },
        (error: unknown) => {
          this.end(op);
          this.handlers.failed(op, error);
        },
      );
    this.flights.set(op.id, { controller, done, since: now });
  }

  /** Aborts every delivery (their ops stay queued); resolves once all have ended. */
  abortAll(): Promise<unknown> {
    for (const flight of this.flights.values()) flight.controller.abort();
    return Promise.allSettled([...this.flights.values()].map((f) => f.done));
  }

  private end(op: Op): void {
    this.flights.delete(op.id);
    this.busyItems.delete(op.itemId);
  }
}
