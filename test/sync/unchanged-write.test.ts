import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { AtomicTextFile } from '../../src/sync/atomic-json-file.js';
import { openOutbox } from '../../src/sync/index.js';
import { tempDir } from '../helpers/temp-home.js';

// Quitting writes the queue, and the write's two fsyncs were most of a `q` with nothing
// pending. A file that holds the text already is left alone; one that differs anywhere, even
// by a byte in the middle of a long queue, is written whole as before.
describe('writing the queue file', () => {
  // (a server that is down: nothing leaves the queue)
  const refused = () => Promise.reject(new ApiError('connection refused', { kind: 'retryable', offline: true }));

  it('leaves the file as it is when quitting changed nothing, and writes what changed', async () => {
    const dir = await tempDir();
    const queueFile = join(dir, 'queue.json');
    const lockFile = join(dir, 'queue.lock');
    const first = await openOutbox({ queueFile, lockFile, deliver: { send: refused, probe: refused } });
    await first.outbox.enqueue({ itemId: 'film', kind: 'played', title: 'Ünïcode film ✓' });
    await first.outbox.close();
    const before = await stat(queueFile);
    const text = await readFile(queueFile, 'utf8');

    // The next run opens the queue, changes nothing and quits.
    const second = await openOutbox({ queueFile, lockFile, deliver: { send: refused, probe: refused } });
    await second.outbox.close();
    const after = await stat(queueFile);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(queueFile, 'utf8')).toBe(text);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    // A run that queues something writes it.
    const third = await openOutbox({ queueFile, lockFile, deliver: { send: refused, probe: refused } });
    await third.outbox.enqueue({ itemId: 'show', kind: 'unplayed' });
    await third.outbox.close();
    const ops = (JSON.parse(await readFile(queueFile, 'utf8')) as { ops: Array<{ itemId: string }> }).ops.map((op) => op.itemId);
    expect(ops).toEqual(['film', 'show']);
  });

  it('writes whole any text that differs from the file, wherever it differs', async () => {
    const dir = await tempDir();
    const path = join(dir, 'queue.json');
    const file = new AtomicTextFile(path);
    const pieces = ['{"ops":[', '{"title":"Ünïcode ✓"}', ',{"title":"b"}', ']}'];
    await file.writePieces(pieces);
    expect(await readFile(path, 'utf8')).toBe(pieces.join(''));

    const cases = [
      // a piece in the middle changed, by one byte of a multi-byte character
      ['{"ops":[', '{"title":"Ünïcode ✔"}', ',{"title":"b"}', ']}'],
      // shorter: the file's text goes on after the last piece
      ['{"ops":[', '{"title":"Ünïcode ✔"}', ']}'],
      // longer: the file's text ends before the pieces do
      ['{"ops":[', '{"title":"Ünïcode ✔"}', ']}', '\n'],
      // the same text cut into other pieces: nothing to write
      ['{"ops":[{"title":"Ünïcode ✔"}', ']}\n'],
      // empty
      [],
    ];
    for (const next of cases) {
      await file.writePieces(next);
      expect(await readFile(path, 'utf8')).toBe(next.join(''));
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    }
  });

  it('writes again a file that is no longer private, or holds bytes that only decode like the text', async () => {
    const dir = await tempDir();
    const path = join(dir, 'queue.json');
    const file = new AtomicTextFile(path);
    const text = '{"ops":[{"title":"a"}]}';
    await file.write(text);
    // Restored from a backup as 0644: the same text makes it private again.
    await chmod(path, 0o644);
    await file.write(text);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // A torn emoji decodes as U+FFFD: the text with U+FFFD is written as its own bytes.
    await writeFile(path, Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xf0, 0x9f, 0x98, 0x22, 0x7d]), { mode: 0o600 });
    await file.write('{"t":"\ufffd"}');
    expect((await readFile(path)).toString('hex')).toBe(Buffer.from('{"t":"\ufffd"}', 'utf8').toString('hex'));
  });
});
