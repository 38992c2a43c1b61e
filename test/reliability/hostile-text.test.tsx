import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { frame } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { openOutbox } from '../../src/sync/index.js';
import { ApiError } from '../../src/servers/jellyfin/errors.js';

// RELIABILITY #17: window title, clipboard write, clear screen, carriage return, C1 CSI and OSC, NUL.
const HOSTILE = '\x1b]0;pwned\x07\x1b]52;c;aGk=\x07\x1b[2J\r\x9b31m\x9d0;x\x07\x00';
/** Any byte that could steer a terminal, except the SGR colour codes Ink itself draws. */
const CONTROL = /\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const server = useDemoServer({
  titles: (item) => ({ name: `${item.name}${HOSTILE}`, ...(item.overview ? { overview: `${item.overview}${HOSTILE}` } : {}) }),
});

describe('text from a hostile server', () => {
  it('is drawn inert on every screen: home, library, seasons, episodes, details, now playing, sync', async () => {
    const view = await renderApp(server());
    const frames: string[] = [];
    const seen = async (text: string | RegExp) => frames.push(await until(view.lastFrame, text).then(() => view.lastFrame() ?? ''));
    await seen('Libraries');
    await view.select(/› +Shows/);
    await view.type('\r');
    await seen(/· 1\/\d+/);
    await view.type('\r');
    await seen('Season 1');
    await view.type('\r');
    await seen('S01E01');
    await view.type('\r');
    await seen('enter play');
    await view.type('\r');
    await seen('Now playing');
    view.players[0]!.emit({ type: 'tick', positionSeconds: 45, durationSeconds: 600, paused: false });
    await frame(50);
    frames.push(view.lastFrame() ?? '');
    // (the server goes away before the stop, so the sync screen lists the item by its hostile name)
    await server().faults.offline();
    await view.type('s');
    await seen('saved and queued');
    await view.type('S');
    await seen(/• .*stopped/);
    expect(frames).toHaveLength(9);
    for (const shown of frames) expect(shown).not.toMatch(CONTROL);
    // and the names stay readable
    expect(frames[0]).toContain('Movies');
    expect(frames[5]).toContain('S01E01');
    view.unmount();
  });

  it('is printed inert by --pending, as text and as JSON', async () => {
    const home = await tempDir();
    const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));
    const { outbox } = await openOutbox({ queueFile: join(home, 'data', 'queue.json'), lockFile: join(home, 'data', 'queue.lock'), deliver: { send: refused, probe: refused } });
    await outbox.enqueue({ itemId: 'a', kind: 'played', title: `Film${HOSTILE}` });
    await outbox.close();
    const text = await runCli(['--pending'], { home });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Film');
    expect(text.stdout).not.toMatch(CONTROL);
    const json = await runCli(['--pending', '--json'], { home });
    // JSON escapes control characters itself (\u001b): the raw bytes never reach the terminal
    expect(json.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});
