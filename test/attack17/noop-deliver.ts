import type { Deliver, SendOutcome } from '../../src/sync/deliver.js';

/** A deliverer that never gets to send (the server is down while the op is queued). */
export class NoopPlexDeliver implements Deliver {
  send(): Promise<SendOutcome> {
    return Promise.reject(Object.assign(new Error('offline'), { kind: 'retryable', offline: true, unsent: true }));
  }
  probe(): Promise<void> {
    return Promise.reject(Object.assign(new Error('offline'), { kind: 'retryable', offline: true, unsent: true }));
  }
}
