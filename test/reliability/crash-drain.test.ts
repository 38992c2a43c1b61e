import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox } from '../../src/sync/index.js';
import { readQueueFile } from '../../src/sync/queue-file.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'pw' }], library: { movies: 300, series: 0 } });

describe('kill -9 of reelterm during a drain', () => {
  it('loses nothing: every update is on the server or still queued, and the next run delivers the rest', async () => {
    // Given ann signed in, with 300 "watched" marks queued while the server was away
    const demo = server();
    const home = await tempDir();
    expect((await runCli(['login', '--server', demo.url, '--user', 'ann'], { home, env: { REELTERM_PASSWORD: 'pw' } })).code).toBe(0);
    const queueFile = join(home, 'data', 'queue.json');
    const refused = () => Promise.reject(new ApiError('Cannot reach the server: connection refused', { kind: 'retryable', offline: true }));
    const { outbox } = await openOutbox({ queueFile, lockFile: join(home, 'data', 'queue.lock'), deliver: { send: refused, probe: refused } });
    const films = demo.library.all().filter((item) => item.type === 'Movie');
    for (const film of films) await outbox.enqueue({ itemId: film.id, kind: 'played', title: film.name });
    await outbox.close();
    expect(films).toHaveLength(300);

    // When `reelterm sync` drains them over a slow link and is killed half way
    demo.faults.latency(20);
    const child = spawn(process.execPath, [BIN, 'sync', '--timeout', '60'], { env: { ...process.env, REELTERM_HOME: home }, stdio: 'ignore' });
    const played = () => films.filter((film) => demo.userData('ann', film.id).Played === true).length;
    await eventually(() => expect(played()).toBeGreaterThan(20), 20_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    demo.faults.latency(0);

    // Then the queue parses, and every mark is on the server or still queued (some may be both:
    // accepted just before the kill, before the queue was rewritten; sending one again is harmless)
    const read = await readQueueFile(queueFile);
    expect(read.status).toBe('ok');
    const queued = new Set(read.status === 'ok' ? read.data.ops.map((op) => op.itemId) : []);
    expect(queued.size).toBeGreaterThan(0);
    const lost = films.filter((film) => !queued.has(film.id) && demo.userData('ann', film.id).Played !== true);
    expect(lost).toEqual([]);

    // When reelterm runs again, it takes over the lock of the dead process and delivers the rest
    const again = await runCli(['sync', '--timeout', '30'], { home, timeoutMs: 45_000 });
    expect(again.code).toBe(0);
    expect(played()).toBe(300);
    expect((await runCli(['--pending'], { home })).stdout).toBe('Nothing pending.\n');
  }, 90_000);
});
