import { lstat, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox, QueueFileError, readQueueFile } from '../../src/sync/index.js';
import { QUEUE_VERSION } from '../../src/sync/op.js';
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

  it('keeps a backlog of thousands whole across a restart: every update, dead letter and account as it was', async () => {
    // Given a queue file of 2,500 updates of two accounts (one written with its fields in
    // another order), and a dead letter
    const dir = await tempDir();
    const alice = { kind: 'jellyfin', serverId: 's1', server: 'http://jf', userId: 'alice', userName: 'Ålice "A"' };
    const aliceReordered = { userName: 'Ålice "A"', userId: 'alice', server: 'http://jf', serverId: 's1', kind: 'jellyfin' };
    const bob = { ...alice, userId: 'bob', userName: 'bob' };
    const ops = Array.from({ length: 2500 }, (_, i) => ({
      id: `op-${i}`,
      itemId: `item-${i}`,
      kind: i % 2 === 0 ? 'played' : 'stopped',
      payload: i % 2 === 0 ? {} : { positionTicks: i * 1000 },
      createdAt: new Date(i * 1000).toISOString(),
      attempts: i % 3,
      nextAttemptAt: null,
      lastError: i % 3 === 0 ? null : 'the server answered 503',
      seq: i + 1,
      title: `Film ${i} — «${i}»`,
      account: i % 5 === 0 ? bob : i % 2 === 0 ? alice : aliceReordered,
    }));
    const dead = { op: { ...ops[0]!, id: 'dead-1', seq: 0 }, reason: 'permanent', error: 'the server answered 404', at: new Date(0).toISOString() };
    await writeFile(join(dir, 'queue.json'), JSON.stringify({ version: QUEUE_VERSION, seq: 2500, ops, deadLetters: [dead], serverOffsetMs: 1500 }));
    // When reelterm, signed in as someone else (nothing of theirs is sent), opens it, queues a
    // stop (the file is written again) and closes
    const carol = { ...alice, userId: 'carol', userName: 'carol' };
    const first = await openOutbox({ queueFile: join(dir, 'queue.json'), lockFile: join(dir, 'queue.lock'), deliver: offline, account: carol });
    await first.outbox.enqueue({ itemId: 'new', kind: 'stopped', payload: { positionTicks: 7 } });
    // (in memory, each account is one object, however its fields were ordered)
    expect(new Set(first.outbox.pendingOps().map((op) => op.account)).size).toBe(3);
    await first.outbox.close();
    // Then the file is the same JSON, with the stop added
    const text = await readFile(join(dir, 'queue.json'), 'utf8');
    const read = JSON.parse(text) as { ops: Array<{ id: string; account: object }>; deadLetters: unknown[]; serverOffsetMs: number };
    expect(text).toBe(JSON.stringify(read));
    expect(read.ops.slice(0, 2500).map(({ account, ...op }) => op)).toEqual(ops.map(({ account, ...op }) => op));
    expect(read.ops.slice(0, 2500).map((op) => op.account)).toEqual(ops.map((op) => (op.account === bob ? bob : alice)));
    expect(read.ops[2500]).toMatchObject({ itemId: 'new', kind: 'stopped' });
    expect(read.deadLetters).toEqual([dead]);
    expect(read.serverOffsetMs).toBe(1500);
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
    const future = `{"version":${QUEUE_VERSION + 1},"ops":[],"something":"new"}`;
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

  describe('when queue.json is a symlink (a dotfile manager made it one)', () => {
    it('writes through to the file it points to, and the link stays a link', async () => {
      // Given queue.json in the data folder is a link to a file kept in another folder
      const dataDir = await tempDir();
      const dotfiles = await tempDir('reelterm-dotfiles-');
      const target = join(dotfiles, 'queue.json');
      await writeFile(target, JSON.stringify({ version: 1, seq: 0, ops: [], deadLetters: [] }), { mode: 0o600 });
      const link = join(dataDir, 'queue.json');
      await symlink(target, link);

      // When updates are queued and the queue is closed and opened again
      const first = await open(dataDir);
      await first.outbox.enqueue({ itemId: 'a', kind: 'stopped', payload: { positionTicks: 5 }, title: 'Alien' });
      await first.outbox.enqueue({ itemId: 'b', kind: 'played' });
      await first.outbox.close();
      const second = await open(dataDir);

      // Then the link is still the same link, the target holds the queue, and it comes back
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await readlink(link)).toBe(target);
      const read = await readQueueFile(target);
      expect(read.status === 'ok' && read.data.ops.map((op) => `${op.itemId}:${op.kind}`)).toEqual(['a:stopped', 'b:played']);
      expect(second.outbox.pendingOps().map((op) => `${op.itemId}:${op.kind}`)).toEqual(['a:stopped', 'b:played']);
      expect((await stat(target)).mode & 0o777).toBe(0o600);
      await second.outbox.close();
      // and no temp file was left in either folder
      expect((await readdir(dataDir)).sort()).toEqual(['queue.json']);
      expect(await readdir(dotfiles)).toEqual(['queue.json']);
    });

    it('creates the target of a link that points to a file not there yet, through its relative link text', async () => {
      // Given a relative link to a file that does not exist yet
      const dataDir = await tempDir();
      const dotfiles = await tempDir('reelterm-dotfiles-');
      const target = join(dotfiles, 'reelterm-queue.json');
      const link = join(dataDir, 'queue.json');
      const linkText = relative(dataDir, target);
      await symlink(linkText, link);

      // When an update is queued
      const { outbox } = await open(dataDir);
      await outbox.enqueue({ itemId: 'a', kind: 'played', title: 'Alien' });
      await outbox.close();

      // Then the link keeps its text and the target now holds the queue
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await readlink(link)).toBe(linkText);
      const read = await readQueueFile(target);
      expect(read.status === 'ok' && read.data.ops.map((op) => [op.itemId, op.kind, op.title])).toEqual([['a', 'played', 'Alien']]);
      expect(await readdir(dotfiles)).toEqual([basename(target)]);
    });

    it('keeps a corrupt target aside beside it and the link a link, then writes the fresh queue through it', async () => {
      // Given a link to a queue file that does not parse
      const dataDir = await tempDir();
      const dotfiles = await tempDir('reelterm-dotfiles-');
      const target = join(dotfiles, 'queue.json');
      await writeFile(target, '{"version":2,"ops":[', { mode: 0o600 });
      const link = join(dataDir, 'queue.json');
      await symlink(target, link);
      // When reelterm opens it and queues an update
      const { outbox, notices } = await open(dataDir);
      await outbox.enqueue({ itemId: 'a', kind: 'played' });
      await outbox.close();
      // Then the damaged file is kept beside the target, the link is still a link, and the new queue is behind it
      expect(notices.join(' ')).toContain(`${target}.corrupt-`);
      expect((await readdir(dotfiles)).filter((name) => name.startsWith('queue.json.corrupt-'))).toHaveLength(1);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      const read = await readQueueFile(target);
      expect(read.status === 'ok' && read.data.ops.map((op) => op.kind)).toEqual(['played']);
    });

    it('clears a killed writer\'s temp file in the target\'s folder', async () => {
      const dataDir = await tempDir();
      const dotfiles = await tempDir('reelterm-dotfiles-');
      const target = join(dotfiles, 'queue.json');
      await writeFile(target, JSON.stringify({ version: 1, seq: 0, ops: [], deadLetters: [] }), { mode: 0o600 });
      await symlink(target, join(dataDir, 'queue.json'));
      const { spawnSync } = await import('node:child_process');
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
      const stale = `.queue.json.${dead}.ab12cd34.tmp`;
      await writeFile(join(dotfiles, stale), '{"version":1,"ops":[');

      const { outbox } = await open(dataDir);

      expect(await readdir(dotfiles)).toEqual(['queue.json']);
      await outbox.close();
    });
  });
});
