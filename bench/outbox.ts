// Outbox benchmarks (issue #2). Prints `name: value unit (target …)`.
// 1. One hour of playback at 60 ticks/s in virtual time, real queue file: disk writes and sends.
// 2. Drain of 10,000 queued ops for 10,000 items to the demo server on loopback: seconds and peak RSS.
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
    report('outbox.playback_hour.disk_writes', writes, 'writes', '≤ 720', writes <= 720);
    report('outbox.playback_hour.sends', sends, 'sends', `≤ 360 + ${urgentEvents + 1} pause/seek/stop`, sends <= 360 + urgentEvents + 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
