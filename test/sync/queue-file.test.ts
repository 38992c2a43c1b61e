import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/jellyfin/errors.js';
import { openOutbox, QueueFileError, readQueueFile } from '../../src/sync/index.js';
import { tempDir } from '../helpers/temp-home.js';

const refused = () => Promise.reject(new ApiError('refused', { kind: 'retryable', offline: true }));
const offline = { send: refused, probe: refused };

async function open(dir: string, flushIntervalMs = 5000) {
  return openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: offline, flushIntervalMs });
}

describe('queue file', () => {
  it('has a stop on disk, private to the user, before enqueue resolves', async () => {
    const dir = await tempDir();
    const { outbox } = await open(dir);
    await outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 5 }, title: 'Alien' });
    const read = await readQueueFile(join(dir, 'queue.json'));
    expect(read.status === 'ok' && read.data.ops.map((op) => [op.itemId, op.kind, op.title])).toEqual([['a', 'stopped', 'Alien']]);
    expect((await stat(join(dir, 'queue.json'))).mode & 0o777).toBe(0o600);
    await outbox.close();
  });

  it('writes progress at the next flush, not on every tick', async () => {
    const dir = await tempDir();
    const { outbox } = await open(dir, 50);
    const handle = await outbox.enqueue({ itemId: 'a', kind: 'progress', payload: { positionTicks: 5 } });
    expect((await readQueueFile(join(dir, 'queue.json'))).status).toBe('missing');
    await handle.persisted;
    const read = await readQueueFile(join(dir, 'queue.json'));
    expect(read.status === 'ok' && read.data.ops[0]?.payload.positionTicks).toBe(5);
    await outbox.close();
  });

  it('keeps everything queued across a restart and leaves no temp files behind', async () => {
    const dir = await tempDir();
    const first = await open(dir);
    await first.outbox.enqueue({ itemId: 'a', kind: 'played' });
    await first.outbox.enqueue({ itemId: 'b', kind: 'progress', payload: { positionTicks: 9 } });
    await first.outbox.close();
    const second = await open(dir);
    expect(second.outbox.pendingOps().map((op) => `${op.itemId}:${op.kind}`)).toEqual(['a:played', 'b:progress']);
    await second.outbox.close();
    expect((await readdir(dir)).sort()).toEqual(['queue.json']);
  });

  it.each([
    ['truncated JSON', '{"version":1,"seq":3,"ops":[{"id":"x"'],
    ['an empty file', ''],
    ['the wrong shape', '{"version":1,"seq":1,"ops":[{"id":1}],"deadLetters":[]}'],
    ['not an object', '[1,2,3]'],
  ])('moves a queue file with %s aside, says where, and starts empty', async (_name, content) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'queue.json'), content);
    const { outbox, notices } = await open(dir);
    expect(outbox.pendingOps()).toEqual([]);
    const aside = (await readdir(dir)).find((name) => name.startsWith('queue.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside!), 'utf8')).toBe(content);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(join(dir, aside!));
    await outbox.close();
  });

  it('refuses a queue written by a newer reelterm and leaves it untouched', async () => {
    const dir = await tempDir();
    const future = '{"version":2,"ops":[],"something":"new"}';
    await writeFile(join(dir, 'queue.json'), future);
    await expect(open(dir)).rejects.toThrow(QueueFileError);
    await expect(open(dir)).rejects.toThrow(/newer reelterm/);
    expect(await readFile(join(dir, 'queue.json'), 'utf8')).toBe(future);
    expect(await readdir(dir)).toEqual(['queue.json']);
  });

  it('clears temp files a killed writer left behind, and keeps a live writer\'s', async () => {
    // Given a dead writer's half-written temp file (a child that has exited) and a live one's
    const dir = await tempDir();
    const { spawnSync } = await import('node:child_process');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = `.queue.json.${dead}.ab12cd34.tmp`;
    const live = `.queue.json.${process.pid}.ef56ab78.tmp`;
    await writeFile(join(dir, stale), '{"version":1,"ops":[');
    await writeFile(join(dir, live), '{}');
    // When the queue is opened by its owner
    const { outbox } = await open(dir);
    // Then the dead writer's leftover is gone, the live one's is not
    const names = await readdir(dir);
    expect(names).not.toContain(stale);
    expect(names).toContain(live);
    await outbox.close();
  });
});
