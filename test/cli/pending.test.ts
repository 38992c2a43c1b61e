import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox } from '../../src/sync/index.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

const refused = () => Promise.reject(new ApiError('Cannot reach http://jf.test: connection refused', { kind: 'retryable', offline: true }));

/** A queue left by a session that could not reach the server, with one 404 dead letter. */
async function queueWithWork(home: string) {
  const dataDir = join(home, 'data');
  await mkdir(dataDir, { recursive: true });
  let sends = 0;
  const { outbox } = await openOutbox({
    queueFile: join(dataDir, 'queue.json'),
    lockFile: join(dataDir, 'queue.lock'),
    // (a failure is written with the next batched write: soon here, not in the usual 5 s)
    flushIntervalMs: 20,
    deliver: {
      send: () => (sends++ === 0 ? Promise.reject(new ApiError('http://jf.test: the item no longer exists on the server (404)', { kind: 'permanent', status: 404 })) : refused()),
      probe: refused,
    },
  });
  await outbox.enqueue({ itemId: 'gone', kind: 'played', title: 'Deleted Film' });
  await new Promise((r) => setTimeout(r, 50));
  await outbox.enqueue({ itemId: 'a1', kind: 'stopped', payload: { positionTicks: 754 * 10_000_000 }, title: 'Alien\x1b]0;pwned\x07 \x1b[2J(1979)\x9b' });
  await outbox.enqueue({ itemId: 'b2', kind: 'played', title: 'Brazil' });
  // (the owner has tried Alien once and written so)
  await eventually(async () => {
    const written = JSON.parse(await readFile(join(dataDir, 'queue.json'), 'utf8')) as { ops: Array<{ itemId: string; attempts: number }> };
    expect(written.ops.find((op) => op.itemId === 'a1')?.attempts).toBe(1);
  }, 5000);
  return outbox;
}

describe('reelterm --pending', () => {
  it('says "Nothing pending." and exits 0 when there is no queue, and nothing else (no warning from Node either)', async () => {
    const home = await tempDir();
    const result = await runCli(['--pending'], { home });
    expect(result).toEqual({ stdout: 'Nothing pending.\n', stderr: '', code: 0 });
  });

  it('lists queued updates and failed ones while another reelterm owns the queue', async () => {
    // Given a running owner with queued work and a dead letter
    const home = await tempDir();
    const owner = await queueWithWork(home);
    try {
      // When the user asks what is pending
      const result = await runCli(['--pending'], { home });
      // Then a readable table names the items, kinds, positions and errors
      expect(result.code).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toBe('2 pending updates:');
      expect(lines[1]).toMatch(/^ITEM\s+KIND\s+POSITION\s+AGE\s+ATTEMPTS\s+NEXT RETRY\s+LAST ERROR$/);
      // (the first retry is jittered between now and 1 s, so either reading is right; the age is
      // a second or more on a busy machine, and the columns widen with it)
      expect(result.stdout).toMatch(/Alien \(1979\) +stopped +12:34 +\d+ s +1 +(now|in \d+ s)\s+Cannot reach http:\/\/jf.test: connection refused/);
      expect(result.stdout).toMatch(/Brazil\s+played\s+/);
      expect(result.stdout).toContain('connection refused');
      expect(result.stdout).toContain('1 failed (not retried by itself; retry it with `reelterm sync --retry-failed`, or review it with S in reelterm):');
      expect(result.stdout).toMatch(/Deleted Film\s+played\s+.*permanent\s+.*\(404\)/);
      // And no control byte from a hostile title reaches the terminal
      expect(result.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    } finally {
      await owner.close();
    }
  });

  it('prints the same queue as JSON for scripts', async () => {
    const home = await tempDir();
    const owner = await queueWithWork(home);
    await owner.close();
    const result = await runCli(['--pending', '--json'], { home });
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.pending.map((op: { itemId: string; kind: string }) => `${op.itemId}:${op.kind}`)).toEqual(['a1:stopped', 'b2:played']);
    expect(body.pending[0]).toMatchObject({ title: 'Alien (1979)', positionTicks: 7_540_000_000, attempts: 1 });
    expect(body.deadLetters).toEqual([expect.objectContaining({ itemId: 'gone', reason: 'permanent' })]);
  });

  it('reports a corrupt queue clearly and changes nothing', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'data'), { recursive: true });
    await writeFile(join(home, 'data', 'queue.json'), '{"version":1,"ops":[');
    const result = await runCli(['--pending'], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot be read: not valid JSON');
    expect(await readFile(join(home, 'data', 'queue.json'), 'utf8')).toBe('{"version":1,"ops":[');
  });
});
