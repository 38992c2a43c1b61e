import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { codeIn, login } from './login-helpers.js';

// DEFECT: while the user types the code, plex.tv answers 429 "API rate limit exceeded" (code
// 1003) with `Retry-After: 5`, and reelterm keeps asking once a second regardless — the very
// behaviour that keeps an install rate-limited. Suspected cause: src/servers/plex/plex-tv.ts:187-190
// `continue`s on any retryable error into the fixed 1 s sleep, ignoring ApiError.retryAfterMs
// (which transport/classifyHttpError fills from Retry-After). PLEX.md §6: plex.tv rate-limits
// (429, code 1003); the outbox's own rule everywhere else is to honour Retry-After.

const demo = usePlexDemo();

const polls = () => demo().journal.filter((entry) => entry.half === 'plex.tv' && entry.method === 'GET' && entry.path.startsWith('/api/v2/pins/'));

describe('plex.tv rate-limiting the PIN polls', () => {
  it('waits as long as Retry-After says before asking again', async () => {
    const home = await tempDir();
    let gap: number | undefined;
    const result = await login(['--server', 'reelterm demo', '--timeout', '60'], home, { REELTERM_PLEX_TV_URL: demo().plexTvUrl }, (line) => {
      const code = codeIn(line);
      if (code === undefined) return;
      demo().plexTvFaults.status(429, { retryAfter: 5 });
      void (async () => {
        // The first rate-limited poll, and the one after it
        await eventually(() => expect(polls().filter((entry) => entry.status === 429).length).toBeGreaterThanOrEqual(2), 30_000);
        const limited = polls().filter((entry) => entry.status === 429);
        gap = new Date(limited[1]!.time).getTime() - new Date(limited[0]!.time).getTime();
        await demo().plexTvFaults.clear();
        demo().linkPin(code);
      })();
    });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(gap).toBeGreaterThanOrEqual(4500);
  }, 60_000);
});
