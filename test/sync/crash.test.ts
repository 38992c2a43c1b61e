import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readQueueFile } from '../../src/sync/queue-file.js';
import { tempDir } from '../helpers/temp-home.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 200);

let child = '';
beforeAll(async () => {
  // Bundled once so each of the many child processes starts in tens of milliseconds.
  const out = join(await tempDirOnce(), 'enqueue-forever.mjs');
  await build({
    entryPoints: [new URL('../fixtures/enqueue-forever.ts', import.meta.url).pathname],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  child = out;
});

afterAll(async () => {
  if (child) await rm(dirname(child), { recursive: true, force: true });
});

async function tempDirOnce(): Promise<string> {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  return mkdtemp(join(tmpdir(), 'reelterm-crash-bundle-'));
}

/** Runs the child until it has acknowledged some ops, kills it with SIGKILL after a random delay, returns the acks. */
function runAndKill(dir: string): Promise<Array<[string, number]>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (timer === undefined) timer = setTimeout(() => proc.kill('SIGKILL'), Math.floor(Math.random() * 60));
    });
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited on its own: ${err}`));
      const acks = out
        .split('\n')
        .filter((line) => line.includes(' '))
        .map((line) => line.split(' '))
        .map(([item, seq]) => [item!, Number(seq)] as [string, number]);
      resolve(acks);
    });
  });
}

describe('crash safety', () => {
  it(`keeps a whole queue file and every acknowledged update through ${KILLS} kill -9s`, async () => {
    const dir = await tempDir();
    const latestAck = new Map<string, number>();
    for (let i = 0; i < KILLS; i++) {
      // Given a process that was told its updates are queued
      const acks = await runAndKill(dir);
      for (const [item, seq] of acks) latestAck.set(item, Math.max(seq, latestAck.get(item) ?? 0));
      // When it is killed at a random instant, the file is still whole
      const read = await readQueueFile(join(dir, 'queue.json'));
      expect(read.status).toBe('ok');
      if (read.status !== 'ok') return;
      // Then every acknowledged mark, or a newer one for the same item, is still there
      const onDisk = new Map(read.data.ops.map((op) => [op.itemId, op.seq]));
      for (const [item, seq] of latestAck) expect(onDisk.get(item) ?? -1, `${item} after kill ${i + 1}`).toBeGreaterThanOrEqual(seq);
    }
    expect(latestAck.size).toBeGreaterThan(0);
  }, 600_000);
});
