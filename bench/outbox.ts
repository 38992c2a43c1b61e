// Outbox benchmarks (issue #2). Prints `name: value unit (target …)`.
// 1. One hour of playback at 60 ticks/s in virtual time, real queue file: disk writes and sends.
// 2. Drain of 10,000 queued ops for 10,000 items to the demo server on loopback: seconds and peak RSS.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { Low } from 'lowdb';
import { AtomicTextFile } from '../src/sync/atomic-json-file.js';
import { Outbox } from '../src/sync/outbox.js';
import { emptyQueue, QUEUE_VERSION, TICKS_PER_SECOND, type Op, type QueueData } from '../src/sync/op.js';
import { FakeClock } from '../test/helpers/fake-clock.js';
import { report } from './report.js';

const execFileAsync = promisify(execFile);

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
    report('outbox.playback_hour.disk_writes', writes, 'writes', `≤ 720 + ${urgentEvents + 1} pause/seek/stop`, writes <= 720 + urgentEvents + 1);
    report('outbox.playback_hour.sends', sends, 'sends', `≤ 360 + ${urgentEvents + 1} pause/seek/stop`, sends <= 360 + urgentEvents + 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Starts the demo server in a child process with enough items; resolves with its address and video ids. */
export async function demoServerProcess(extraItems: number): Promise<{ url: string; itemIds: string[]; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./demo-server-process.ts', import.meta.url).pathname, String(extraItems)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`demo server exited (${code})`)));
  });
  const { url, itemIds } = JSON.parse(line) as { url: string; itemIds: string[] };
  return { url, itemIds, stop: () => child.kill('SIGTERM') };
}

/** Bundles the drain's client side as the app is bundled, so it runs on plain node (no tsx in the figure). */
async function bundleDrainClient(dir: string): Promise<string> {
  const out = join(dir, 'drain-child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./drain-child.ts', import.meta.url))],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    logLevel: 'warning',
  });
  return out;
}

/**
 * Drains 10,000 queued updates for 10,000 items (half marks, half stops) to the demo server
 * on loopback. The server runs in its own process and the client in another, so the peak
 * RSS is the client's alone.
 */
export async function benchDrain(count = 10_000): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'reelterm-bench-'));
  const server = await demoServerProcess(count);
  try {
    const now = Date.now();
    const ops: Op[] = server.itemIds.slice(0, count).map((itemId, i) => ({
      id: randomUUID(),
      itemId,
      kind: i % 2 === 0 ? 'played' : 'stopped',
      payload: i % 2 === 0 ? {} : { positionTicks: 200 * TICKS_PER_SECOND, runtimeTicks: 600 * TICKS_PER_SECOND },
      createdAt: new Date(now - 1000).toISOString(),
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      seq: i + 1,
    }));
    if (ops.length < count) throw new Error(`the demo server has only ${ops.length} videos`);
    const queue: QueueData = { version: QUEUE_VERSION, seq: ops.length, ops, deadLetters: [] };
    await writeFile(join(dir, 'queue.json'), JSON.stringify(queue));
    const client = await bundleDrainClient(dir);
    const { stdout } = await execFileAsync(process.execPath, [client, server.url, dir], { maxBuffer: 1 << 20 });
    const { seconds, peakRssMb, left } = JSON.parse(stdout) as { seconds: number; peakRssMb: number; left: number };
    if (left > 0) throw new Error(`drain did not finish: ${left} left`);
    report('outbox.drain_10k.seconds', seconds, 's', '≤ 10', seconds <= 10);
    report('outbox.drain_10k.peak_rss', peakRssMb, 'MB', '≤ 150', peakRssMb <= 150);
  } finally {
    server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
