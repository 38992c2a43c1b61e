import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOutbox } from '../../src/sync/index.js';
import { Outbox } from '../../src/sync/outbox.js';
import { openQueueFile } from '../../src/sync/queue-file.js';
import type { QueueData } from '../../src/sync/op.js';
import { ScriptedDeliver } from '../helpers/scripted-deliver.js';
import { tempDir } from '../helpers/temp-home.js';

/**
 * Attacks on item 4 (write first, then send) with a disk that fails or crawls.
 * This one held; it is kept because no other test checks that a burst of enqueues during one
 * slow write costs a bounded number of writes and still sends each item's last update.
 */
describe('a disk that starts refusing writes mid-session', () => {
  /**
   * DEFECT. When a write fails, the engine reschedules with
   * `this.requestWrite().catch(() => this.scheduleFlush())` (pump, the flush timer, the dead
   * letters, the constructor): the `.catch` hands back the *next* flush's promise, so when that
   * next write fails too, the promise made by `.catch` rejects with nobody listening. Node's
   * default for an unhandled rejection is to end the process, and reelterm installs no handler:
   * a disk that fills up (or a queue path that becomes unwritable) during playback makes
   * reelterm die a few seconds later, with mpv's position and anything in memory, instead of
   * "sending updates anyway, the server being the only safe place left" (README).
   * Real file system: the queue file is replaced by a directory after opening, so every atomic
   * write fails at its rename (EISDIR), as a full or read-only disk fails it at its write.
   */
  it('keeps running, and keeps sending progress, without an unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    // Registered before vitest's own handler sees it: the listener list is what Node consults.
    process.prependListener('unhandledRejection', onRejection);
    const dir = await tempDir();
    const queueFile = join(dir, 'queue.json');
    const deliver = new ScriptedDeliver();
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver, flushIntervalMs: 20, progressIntervalMs: 0, random: () => 0.5 });
    try {
      await outbox.enqueue({ itemId: 'film', kind: 'played' });
      await outbox.settle({ timeoutMs: 1000 });
      // The disk stops taking the queue
      await rm(queueFile, { force: true });
      await mkdir(queueFile);
      // Playback goes on: a tick now and then, a seek
      for (let i = 1; i <= 10; i++) {
        await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: i * 10_000_000, urgent: i === 5 } });
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      await outbox.settle({ timeoutMs: 1000 });
      expect(deliver.sent.at(-1)?.payload.positionTicks).toBe(10 * 10_000_000);
      expect(rejections.map((r) => (r as Error).message)).toEqual([]);
    } finally {
      await outbox.close().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      process.removeListener('unhandledRejection', onRejection);
    }
  });

  /**
   * The same, as the user meets it: a real process running the engine with its production
   * settings (5 s flushes), playback progress once a second, and the queue path refusing
   * writes from some instant on. The process must go on (and go on sending); it dies instead.
   */
  it('does not end the process that runs the engine', async () => {
    const dir = await tempDir();
    const engine = fileURLToPath(new URL('../../src/sync/index.ts', import.meta.url));
    const script = join(dir, 'player.mjs');
    await writeFile(
      script,
      `const { openOutbox } = await import(${JSON.stringify(engine)});
const { rm, mkdir } = await import('node:fs/promises');
const q = ${JSON.stringify(join(dir, 'queue.json'))};
let sent = 0;
const deliver = { async send() { sent += 1; return 'delivered'; }, async probe() {} };
const { outbox } = await openOutbox({ queueFile: q, lockFile: ${JSON.stringify(join(dir, 'queue.lock'))}, deliver, progressIntervalMs: 0 });
await outbox.enqueue({ itemId: 'film', kind: 'played' });
await rm(q); await mkdir(q);
let tick = 0;
setInterval(() => { tick += 1; outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: tick } }); console.log('tick', tick, 'sent', sent); }, 1000);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const ended = await new Promise<number | null | 'alive'>((resolve) => {
      child.on('exit', (code) => resolve(code));
      const check = setInterval(() => {
        if (/tick 12 /.test(out)) {
          clearInterval(check);
          resolve('alive');
        }
      }, 100);
      child.on('exit', () => clearInterval(check));
    });
    child.kill('SIGKILL');
    expect(ended, `the process ended after: ${out.trim().split('\n').at(-1)}; ${err.split('\n').find((l) => l.startsWith('Error')) ?? ''}`).toBe('alive');
  }, 40_000);
});

describe('a disk that refuses or crawls', () => {
  it('writes a bounded number of times for a burst of 1,000 updates during one slow write, and sends the last of each item', async () => {
    const dir = await tempDir();
    const { db } = await openQueueFile(join(dir, 'queue.json'));
    const adapter = (db as unknown as { adapter: { write(data: QueueData): Promise<void> } }).adapter;
    const realWrite = adapter.write.bind(adapter);
    let writes = 0;
    adapter.write = async (data) => {
      writes += 1;
      const text = JSON.stringify(data);
      await new Promise((resolve) => setTimeout(resolve, 150));
      return realWrite(JSON.parse(text) as QueueData);
    };
    const deliver = new ScriptedDeliver();
    const outbox = new Outbox({ db, deliver, random: () => 0.5, progressIntervalMs: 0 });
    try {
      await outbox.enqueue({ itemId: 'film', kind: 'played' }).catch(() => undefined);
      const burst: Array<Promise<unknown>> = [];
      for (let i = 0; i < 1000; i++) {
        burst.push(outbox.enqueue({ itemId: `item-${i % 10}`, kind: i % 100 === 99 ? 'stopped' : 'progress', payload: { positionTicks: i, urgent: true } }));
      }
      await Promise.all(burst);
      expect(await outbox.settle({ timeoutMs: 5000 })).toMatchObject({ settled: true });
      for (let k = 0; k < 10; k++) {
        const last = deliver.sent.filter((op) => op.itemId === `item-${k}`).at(-1);
        expect(last?.payload.positionTicks).toBe(990 + k);
      }
      expect(writes).toBeLessThan(200);
    } finally {
      await outbox.close();
    }
  });
});
