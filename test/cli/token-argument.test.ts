import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

// Plex tokens are base64url-like and can start with `-`; commander used to take `--token -0Lb…`
// for an unknown option and print the token back in its error.
describe('a token typed on the command line', () => {
  const secrets = ['-0LbSecretToken', '--xSecretToken', 'plainSecretToken'];

  it.each(secrets)('is refused without being printed or tried, whatever it starts with (%s)', async (token) => {
    const home = await tempDir();
    for (const args of [
      ['login', '--plex', '--server', 'http://127.0.0.1:9', '--token', token],
      ['login', '--plex', '--token', token, '--server', 'http://127.0.0.1:9'],
      ['login', '--plex', '--server', 'http://127.0.0.1:9', `--token=${token}`],
    ]) {
      const result = await runCli(args, { home });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('visible to every user of this machine');
      expect(result.stdout + result.stderr).not.toContain(token.replace(/^-+/, ''));
    }
  });

  it('still lets --token without a value be followed by the other flags', async () => {
    const home = await tempDir();
    // The value is read from REELTERM_PLEX_TOKEN; the unreachable address is what fails.
    const result = await runCli(['login', '--plex', '--token', '--server', 'http://127.0.0.1:9'], { home, env: { REELTERM_PLEX_TOKEN: 'plainSecretToken' } });
    expect(result.stderr).not.toContain('visible to every user');
    expect(result.stdout + result.stderr).not.toContain('plainSecretToken');
    expect(result.code).toBe(1);
  });
});
