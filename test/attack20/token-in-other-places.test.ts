import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

// Attack on 640f2d8 (a token after `login … --token` is refused before commander reads it). A
// token given as `--token=VALUE` where reelterm has no such flag (before `login`, on another
// command, or mistyped) was an unknown option, and commander's error quoted it whole:
// "error: unknown option '--token=-0LbSecret'".

const TOKEN = '-0LbSecretToken';

describe('a token typed as --token=VALUE where no --token belongs', () => {
  it.each([
    [['--token=' + TOKEN, 'login', '--plex', '--server', 'http://127.0.0.1:9']],
    [['sync', '--token=' + TOKEN]],
    [['logout', '--token=' + TOKEN]],
    [['login', '--plex', '--server', 'http://127.0.0.1:9', '--tokn=' + TOKEN]],
    [['login', '--plex', '--server', 'http://127.0.0.1:9', '--Token=' + TOKEN]],
    [['sync', "--token=it's" + TOKEN]],
  ])('is not printed back or logged (%j)', async (args) => {
    const home = await tempDir();
    const result = await runCli(args, { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option/);
    expect(result.stdout + result.stderr).not.toContain('SecretToken');
    expect(await readFile(join(home, 'state', 'reelterm.log'), 'utf8').catch(() => '')).not.toContain('SecretToken');
  });
});
