import { describe, expect, it } from 'vitest';
import { useDemoServer } from '../helpers/demo-server.js';
import { plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';

const server = useDemoServer();
const ENTER = '\r';

describe('the app when the server refuses the token with nothing queued', () => {
  it('says signed out when browsing gets a 401, signs in again on L, and loads the screen that failed', async () => {
    const { lastFrame, stdin, type, select, unmount } = await renderApp(server());
    await until(lastFrame, 'Libraries');
    await select(/› +Movies/);
    // Given the server no longer accepts the token (`reelterm logout` elsewhere, a revoked device)
    server().faults.expireTokens();
    // When the user opens a library
    await type(ENTER);
    // Then the screen says why, and the footer says signed out (not "✓ Synced") with the way out
    const refused = await until(lastFrame, /⚠ Signed out · the server no longer accepts your sign-in +L sign in/);
    expect(refused).toContain('(401)');
    expect(refused).not.toContain('✓ Synced');
    // When the user presses L and types the password
    await type('L');
    await until(lastFrame, /› Password/);
    for (const char of `demo${ENTER}`) stdin.write(char);
    // Then the library that failed loads, and the footer is back to synced
    const loaded = await until(lastFrame, /Movies · 1\/\d+\n›/);
    expect(loaded).toContain('Home › Movies');
    expect(loaded).not.toContain('(401)');
    expect(plain(lastFrame()).split('\n').at(-1)).toMatch(/^✓ Synced/);
    unmount();
  });

  it('says signed out when playing gets a 401, and plays after signing in again', async () => {
    const { lastFrame, stdin, type, select, players, unmount } = await renderApp(server());
    await until(lastFrame, 'Libraries');
    await select(/› +Movies/);
    await type(ENTER);
    await until(lastFrame, /Movies · 1\/\d+\n›/);
    await type(ENTER);
    await until(lastFrame, 'enter play');
    // Given the token is refused from now on, when the user presses enter to play
    server().faults.expireTokens();
    await type(ENTER);
    // Then nothing plays, and the footer says to sign in
    const refused = await until(lastFrame, /Cannot play: .*\(401\)[\s\S]*⚠ Signed out/);
    expect(refused).toContain('L sign in');
    expect(players).toHaveLength(0);
    // When the user signs in again and presses enter
    await type('L');
    await until(lastFrame, /› Password/);
    for (const char of `demo${ENTER}`) stdin.write(char);
    await until(lastFrame, 'Signed in');
    await type(ENTER);
    // Then it plays
    await until(lastFrame, 'Now playing');
    expect(players).toHaveLength(1);
    unmount();
  });
});
