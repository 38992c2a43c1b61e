import { systemClock, type Clock } from '../../src/sync/clock.js';

/** This machine's clock, which a test moves forward or back (time passing, or a jump); real timers. */
export class MovableClock implements Clock {
  shift = 0;
  now = () => Date.now() + this.shift;
  setTimeout = systemClock.setTimeout;
  clearTimeout = systemClock.clearTimeout;
}
