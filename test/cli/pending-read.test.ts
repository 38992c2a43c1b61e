import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUEUE_VERSION, type Op } from '../../src/sync/op.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

/** A queue file of watched marks with these titles. */
async function queueOf(home: string, titles: string[]): Promise<void> {
  await mkdir(join(home, 'data'), { recursive: true });
  const createdAt = new Date().toISOString();
  const ops: Op[] = titles.map((title, i) => ({ id: `op${i}`, itemId: `item${i}`, kind: 'played', payload: {}, createdAt, attempts: 0, seq: i + 1, nextAttemptAt: null, lastError: null, title }));
  await writeFile(join(home, 'data', 'queue.json'), JSON.stringify({ version: QUEUE_VERSION, seq: ops.length, ops, deadLetters: [] }));
}

describe('reelterm --pending reads the queue file as it was written', () => {
  it('shows titles in any script as they are, in the table and in JSON', async () => {
    const home = await tempDir();
    const titles = ['Amélie', '千と千尋の神隠し', 'Léon 🎬', 'Plain ASCII'];
    await queueOf(home, titles);
    const table = await runCli(['--pending'], { home });
    expect(table.code).toBe(0);
    for (const title of titles) expect(table.stdout).toMatch(new RegExp(`^${title}\\s+played`, 'm'));
    const json = await runCli(['--pending', '--json'], { home });
    expect((JSON.parse(json.stdout) as { pending: Array<{ title: string }> }).pending.map((op) => op.title)).toEqual(titles);
  });

  it('lists the queue even where no log can be kept (its folder cannot be made)', async () => {
    const home = await tempDir();
    await queueOf(home, ['Alien']);
    // A file where the log's folder would go: nothing can be logged, whoever runs reelterm.
    await writeFile(join(home, 'state'), '');
    const result = await runCli(['--pending'], { home });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Alien\s+played/m);
  });
});
