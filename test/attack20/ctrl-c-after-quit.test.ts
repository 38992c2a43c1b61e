import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUEUE_VERSION, type Op } from '../../src/sync/op.js';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { freePort, reeltermWith, Terminal } from '../helpers/terminal.js';

// Attack on 9ef8aa6 (Ctrl+C while `q` waits for the sync says the closing lines once). Once the
// quit's wait is over the TUI is gone and the queue is written; a Ctrl+C then (the terminal is
// back, so the key is the terminal's SIGINT again) ran a teardown whose own queue write returned
// at once (the TUI's end had begun it) and whose closing lines had been taken off: reelterm
// exited in the middle of the write, saying nothing. A backlog of another account's updates
// (kept, never sent) makes that write long enough to press Ctrl+C in.

const CLOSING = '1 update will sync next time you start `reelterm --demo`, or run `reelterm sync --demo`.';

describe('Ctrl+C right after q\'s wait ended, while the queue is written', () => {
  it('still says the demo\'s address and what stays queued, once, and keeps the whole queue', async () => {
    // Given a demo with a long queue (another account's updates) and a mark queued while offline
    const home = await tempDir();
    await mkdir(join(home, 'config'), { recursive: true });
    await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ syncWaitSeconds: 1 }));
    await mkdir(join(home, 'data', 'demo'), { recursive: true });
    const createdAt = new Date().toISOString();
    const account = { server: 'http://elsewhere.example', userId: 'someone-else', userName: 'other' };
    const backlog: Op[] = Array.from({ length: 60_000 }, (_, i) => ({ id: `op${i}`, itemId: `item${i}`, kind: 'played', payload: {}, createdAt, attempts: 0, seq: i + 1, nextAttemptAt: null, lastError: null, title: `Film number ${i}`, account }));
    await writeFile(join(home, 'data', 'demo', 'queue.json'), JSON.stringify({ version: QUEUE_VERSION, seq: backlog.length, ops: backlog, deadLetters: [] }));
    const port = await freePort();
    const term = await Terminal.start(`${process.execPath} ${BIN} --demo; echo "EXIT=$?"`, { REELTERM_HOME: home, REELTERM_DEMO_PORT: String(port), NO_COLOR: '1', TERM: 'xterm-256color' });
    await term.waitFor(/Libraries/, 30_000);
    await term.keys('Enter');
    await term.waitFor(/Movies · 1\/\d+/);
    expect((await fetch(`http://127.0.0.1:${port}/__demo/faults`, { method: 'POST', body: '{"fault":"offline","forMs":120000}' })).status).toBe(200);
    await term.keys('w');
    await term.waitFor(/Offline · 1 pending/);
    const pid = (await reeltermWith(home))!;

    // When the user quits, and presses Ctrl+C as soon as the TUI is gone
    await term.keys('q');
    await term.waitFor(/Syncing/);
    // (polled as fast as tmux answers: the write lasts a moment)
    while (/Syncing|Movies/.test((await term.tmux(['capture-pane', '-p', '-t', term.name])).stdout)) continue;
    process.kill(pid, 'SIGINT');

    // Then the closing lines are there once, and the queue holds the backlog and the mark
    const screen = await term.waitFor(/EXIT=\d+/);
    expect(screen.split(CLOSING).length - 1, screen).toBe(1);
    expect(screen.split(`Demo server: http://127.0.0.1:${port}`).length - 1, screen).toBe(1);
    expect(screen).toContain('EXIT=130');
    expect(JSON.parse(await readFile(join(home, 'data', 'demo', 'queue.json'), 'utf8')).ops).toHaveLength(backlog.length + 1);
  }, 90_000);
});
