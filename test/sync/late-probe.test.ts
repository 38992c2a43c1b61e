import { describe, expect, it } from 'vitest';
import { RetrySchedule } from '../../src/sync/retry-schedule.js';
import { FakeClock } from '../helpers/fake-clock.js';

// Found in review while splitting the outbox: a probe still under way when the server is seen
// again elsewhere (a list loaded) answered later and wiped the failure that came after it, so the
// footer showed "retrying" with no attempt counted and no reason. The schedule is driven directly
// here, with virtual time and a probe the test answers when it likes.

describe('a probe that answers after offline mode ended', () => {
  it('does not clear the failure that came after it', async () => {
    const clock = new FakeClock();
    let answer: (() => void) | undefined;
    const schedule = new RetrySchedule(clock, () => 0.5, { baseMs: 1000, capMs: 60_000 }, { probe: () => new Promise<void>((resolve) => (answer = resolve)) }, { resume: () => undefined, changed: () => undefined });
    const offline = { kind: 'retryable' as const, offline: true, untrusted: false, retryAfterMs: undefined, message: 'connection refused', mayHaveLanded: false };
    // Given offline mode with a probe under way
    schedule.failed(offline, clock.now());
    await clock.advance(60_000);
    expect(answer).toBeDefined();
    // When a list loads (the server is back) and then a delivery fails with a 503
    schedule.endOffline();
    schedule.failed({ ...offline, offline: false, message: 'the server answered 503' }, clock.now());
    // and only then the old probe answers
    answer!();
    await clock.advance(0);
    // Then the status still shows the failure and its reason, and the backoff wait
    expect(schedule.facts()).toMatchObject({ failureStreak: 1, lastError: 'the server answered 503', offline: false });
    expect(schedule.facts().retryAt).not.toBeNull();
  });
});
