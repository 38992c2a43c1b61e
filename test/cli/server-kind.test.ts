import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

// Issue 16: a saved sign-in records its kind of server. One of a kind this version does not
// speak to (written by a newer reelterm, say) is named, with what to do, and nothing is lost.

describe('a saved sign-in for a kind of server this reelterm does not know', () => {
  it('says so and what to do, instead of crashing, and forgets nothing', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'config'), { recursive: true });
    const credentials = join(home, 'config', 'credentials.json');
    await writeFile(credentials, JSON.stringify({ kind: 'gopher', server: 'http://127.0.0.1:9', userId: 'u1', userName: 'ann', token: 'secret-token' }));
    await chmod(credentials, 0o600);
    for (const command of [['sync'], ['logout']]) {
      const result = await runCli(command, { home });
      expect(result.code, command.join(' ')).not.toBe(0);
      expect(result.stderr).toContain('The saved sign-in is for a "gopher" server, which this version of reelterm does not speak to');
      expect(result.stderr).toContain('reelterm login');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain('secret-token');
    }
    // (logout did not forget a token it could not revoke)
    expect(JSON.parse(await readFile(credentials, 'utf8'))).toMatchObject({ kind: 'gopher', token: 'secret-token' });
  });
});
