// Outbox benchmark (issue #2): one hour of playback at 60 ticks/s in virtual time, with the real
// outbox and a real queue file, and a deliverer that answers at once: disk writes and sends.
// The cadence is the outbox's own, the same for every kind of server (the real sends of a
// Jellyfin and a Plex playback are counted by playback.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { AtomicTextFile } from '../src/sync/atomic-json-file.js';
import { Outbox } from '../src/sync/outbox.js';
import { emptyQueue, TICKS_PER_SECOND, type QueueData } from '../src/sync/op.js';
import { FakeClock } from '../test/helpers/fake-clock.js';
import { report } from './report.js';

/** Simulates one hour of playback: 60 ticks a second, a pause and a seek every 10 minutes. */
export async function benchPlaybackHour(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'reelterm-bench-'));
  try {
    const file = new AtomicTextFile(join(dir, 'queue.json'));
    let writes = 0;
    const db = new Low<QueueData>({ read: async () => null, write: async (data) => { writes += 1; await file.write(JSON.stringify(data)); } }, emptyQueue());
    const clock = new FakeClock();
    let sends = 0;
    let urgentEvents = 0;
    const outbox = new Outbox({ db, clock, deliver: { send: async () => { sends += 1; return 'delivered'; }, probe: async () => undefined } });
    const tickMs = 1000 / 60;
    const ticks = 60 * 60 * 60;
    let position = 0;
    for (let i = 0; i < ticks; i++) {
      position += tickMs / 1000;
      const minuteMark = i % (10 * 60 * 60) === 0 && i > 0;
      if (minuteMark) {
        urgentEvents += 3;
        await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: Math.round(position * TICKS_PER_SECOND), paused: true, urgent: true } });
        await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: Math.round(position * TICKS_PER_SECOND), paused: false, urgent: true } });
        position += 30;
        await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: Math.round(position * TICKS_PER_SECOND), urgent: true } });
      }
      await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: Math.round(position * TICKS_PER_SECOND) } });
      if (i % 60 === 0) await clock.advance(1000); // let timers run once per virtual second
    }
    await outbox.enqueue({ itemId: 'film', kind: 'stopped', payload: { positionTicks: Math.round(position * TICKS_PER_SECOND) } });
    await outbox.settle({ timeoutMs: 1000 });
    await outbox.close();
    // One write every 5 s at most for progress (a crash loses at most that), and each pause,
    // resume, seek and stop is written before it is sent (so a crash never replays an older one).
    const events = urgentEvents + 1;
    report({
      name: 'outbox.playback_hour.disk_writes',
      label: 'one hour of playback (virtual time, 60 ticks/s, a pause, resume and seek every 10 min): queue file writes',
      value: writes,
      unit: 'writes',
      target: `≤ 720 + ${events} pause/seek/stop`,
      met: writes <= 720 + events,
      note: 'a count, the same on any machine',
    });
    report({
      name: 'outbox.playback_hour.sends',
      label: 'one hour of playback (virtual time): updates sent',
      value: sends,
      unit: 'sends',
      target: `≤ 360 + ${events} pause/seek/stop`,
      met: sends <= 360 + events,
      note: 'a count, the same on any machine',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
