import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';
import { Terminal } from '../helpers/terminal.js';
import { usePlexDemo } from '../plex-demo/helpers.js';

// The first-run sign-in form offers Plex beside Jellyfin (issue 17 §1): `reelterm` with nothing
// configured, in a real terminal (tmux), plex.tv being the demo Plex server's stand-in.

const demo = usePlexDemo();
const SLOW = 20_000;

describe('the sign-in form, for Plex', () => {
  it('shows a code for plex.tv/link, and once it is entered opens the Plex server’s home', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'config'), { recursive: true });
    await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ mpvArgs: ['--vo=null', '--ao=null'] }));
    const term = await Terminal.start(`${process.execPath} ${BIN}`, { REELTERM_HOME: home, REELTERM_PLEX_TV_URL: demo().plexTvUrl, NO_COLOR: '1', TERM: 'xterm-256color' });
    await term.waitFor(/Sign in to your Jellyfin server[\s\S]*Or sign in to Plex with a code/, SLOW);
    // When the user goes down to the Plex row and presses enter
    await term.keys('Down', 'Down', 'Down', 'Down');
    await term.waitFor(/› Or sign in to Plex with a code/, SLOW);
    await term.keys('Enter');
    const shown = await term.waitFor(/enter the code (\w+)/, SLOW);
    const code = /enter the code (\w+)/.exec(shown)![1]!;
    // and enters the code at plex.tv/link
    expect(demo().linkPin(code)).toBe(true);
    // Then the app opens on the Plex server, signed in with that server's own token
    await term.waitFor(new RegExp(`demo on ${demo().url.replace(/[.:/]/g, '\\$&')}[\\s\\S]*Libraries[\\s\\S]*Movies`), SLOW);
    const saved = JSON.parse(await readFile(join(home, 'config', 'credentials.json'), 'utf8'));
    expect(saved).toMatchObject({ kind: 'plex', server: demo().url, token: demo().owner.serverToken });
    await term.keys('q');
  }, 90_000);
});
