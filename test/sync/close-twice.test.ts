import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/servers/jellyfin/errors.js';
import { openOutbox } from '../../src/sync/index.js';
import { tempDir } from '../helpers/temp-home.js';

// The quit closes the outbox and, on Ctrl+C meanwhile, the teardown closes it too. The second
// close used to return at once, and the process ended in the middle of the first one's write.
describe('closing the outbox twice', () => {
  it('lets the second close resolve only once the first one has written the queue', async () => {
    const dir = await tempDir();
    const queueFile = join(dir, 'queue.json');
    // (a server that is down: nothing leaves the queue)
    const refused = () => Promise.reject(new ApiError('connection refused', { kind: 'retryable', offline: true }));
    const { outbox } = await openOutbox({ queueFile, lockFile: join(dir, 'queue.lock'), deliver: { send: refused, probe: refused }, progressIntervalMs: 60_000 });
    // A live progress is kept in memory until the next batched write: only the close writes it.
    await outbox.enqueue({ itemId: 'film', kind: 'progress', payload: { positionTicks: 1234 * 10_000_000 } });
    const first = outbox.close();
    await outbox.close();
    const written = JSON.parse(await readFile(queueFile, 'utf8')) as { ops: Array<{ itemId: string; kind: string }> };
    expect(written.ops).toContainEqual(expect.objectContaining({ itemId: 'film', kind: 'progress' }));
    await first;
  });
});
