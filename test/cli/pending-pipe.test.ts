import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUEUE_VERSION, type Op } from '../../src/sync/op.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

/** A queue of `count` watched marks, far more text than a pipe holds. */
async function longQueue(home: string, count: number): Promise<void> {
  await mkdir(join(home, 'data'), { recursive: true });
  const createdAt = new Date().toISOString();
  const ops: Op[] = Array.from({ length: count }, (_, i) => ({ id: `op${i}`, itemId: `item${i}`, kind: 'played', payload: {}, createdAt, attempts: 0, seq: i + 1, nextAttemptAt: null, lastError: null, title: `Film number ${i}` }));
  await writeFile(join(home, 'data', 'queue.json'), JSON.stringify({ version: QUEUE_VERSION, seq: count, ops, deadLetters: [] }));
}

/** `reelterm …args` with its output read until `wanted` bytes came, then the pipe closed (as `| head -c` does). */
function readThenClose(args: string[], home: string, wanted: number): Promise<{ head: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', REELTERM_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let head = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (head.length >= wanted) return;
      head += chunk.toString();
      if (head.length >= wanted) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ head, stderr, code }));
  });
}

describe('reelterm --pending into a pipe that closes early (`| head`)', () => {
  it.each([[['--pending']], [['--pending', '--json']]])('%j ends quietly, without a stack trace', async (args) => {
    const home = await tempDir();
    await longQueue(home, 20_000);
    const result = await readThenClose(args, home, 100);
    expect(result.head.length).toBeGreaterThanOrEqual(100);
    expect(result.stderr).toBe('');
    expect([0, 141]).toContain(result.code);
  });
});

describe('reelterm --pending --json with hostile ids from the server', () => {
  it('carries them whole as JSON escapes, with no raw control or direction character for a terminal to act on', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'data'), { recursive: true });
    const itemId = 'id\u009b2J\u202etxt.exe\u007f';
    const op: Op = { id: 'op\u2066x', itemId, kind: 'played', payload: {}, createdAt: new Date().toISOString(), attempts: 0, seq: 1, nextAttemptAt: null, lastError: null, account: { server: 'http://jf.test', userId: 'u\u009d0;pwned\u0007', userName: 'ann' } };
    await writeFile(join(home, 'data', 'queue.json'), JSON.stringify({ version: QUEUE_VERSION, seq: 1, ops: [op], deadLetters: [] }));
    const result = await runCli(['--pending', '--json'], { home });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    const body = JSON.parse(result.stdout) as { pending: Array<{ id: string; itemId: string; account: { userId: string } }> };
    expect(body.pending[0]).toMatchObject({ id: 'op\u2066x', itemId, account: { userId: 'u\u009d0;pwned\u0007' } });
  });
});
