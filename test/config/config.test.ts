import { chmod, readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialsStore } from '../../src/config/credentials.js';
import { resolvePaths } from '../../src/config/paths.js';
import { DEFAULT_SETTINGS, loadSettings } from '../../src/config/settings.js';
import { tempDir } from '../helpers/temp-home.js';

describe('paths', () => {
  it('puts everything under REELTERM_HOME when it is set', () => {
    const paths = resolvePaths({ REELTERM_HOME: '/x' });
    expect(paths).toMatchObject({ queueFile: '/x/data/queue.json', logFile: '/x/state/reelterm.log', configDir: '/x/config' });
  });

  it('follows the XDG base directories otherwise', () => {
    const paths = resolvePaths({ XDG_RUNTIME_DIR: '/run/user/1000' });
    expect(paths.runtimeDir).toBe('/run/user/1000/reelterm');
    expect(paths.queueFile.endsWith('/reelterm/queue.json')).toBe(true);
  });
});

describe('credentials', () => {
  it('are stored in a file only the user can read', async () => {
    const dir = await tempDir();
    const store = await CredentialsStore.open(dir, []);
    store.save({ server: 'http://jf', userId: 'u1', userName: 'ann', token: 'secret-token-123' });
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    const again = await CredentialsStore.open(dir, []);
    expect(again.get()).toEqual({ server: 'http://jf', userId: 'u1', userName: 'ann', token: 'secret-token-123' });
  });

  it('forget the token on sign-out but remember server and user for the next sign-in', async () => {
    const dir = await tempDir();
    const store = await CredentialsStore.open(dir, []);
    store.save({ server: 'http://jf', userId: 'u1', userName: 'ann', token: 'secret-token-123' });
    store.forgetToken();
    expect(store.get()).toBeUndefined();
    expect(store.lastUsed()).toEqual({ server: 'http://jf', userName: 'ann' });
    expect(await readFile(store.path, 'utf8')).not.toContain('secret-token-123');
  });

  it('move a corrupt file aside, say so, and start signed out', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'credentials.json'), '{"token": "abc"', { mode: 0o600 });
    const notices: string[] = [];
    const store = await CredentialsStore.open(dir, notices);
    expect(store.get()).toBeUndefined();
    const aside = (await readdir(dir)).find((n) => n.startsWith('credentials.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside!), 'utf8')).toBe('{"token": "abc"');
    expect(notices[0]).toContain(aside!);
  });

  it.each(['null', '["ann", "secret-token-123"]', '"secret-token-123"'])('treat JSON that is not an object (%s) as corrupt: kept aside, never rewritten', async (text) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'credentials.json'), text, { mode: 0o600 });
    const notices: string[] = [];
    const store = await CredentialsStore.open(dir, notices);
    expect(store.get()).toBeUndefined();
    const aside = (await readdir(dir)).find((n) => n.startsWith('credentials.json.corrupt-'));
    expect(await readFile(join(dir, aside!), 'utf8')).toBe(text);
    expect(notices).toEqual([expect.stringContaining('credentials.json could not be read (not a JSON object)')]);
  });

  it.each([
    ['0644', 0o644],
    ['0640', 0o640],
    ['0604', 0o604],
    ['0666', 0o666],
  ])('made private again when found with mode %s, and the user is told', async (_label, loose) => {
    const dir = await tempDir();
    const file = join(dir, 'credentials.json');
    // Given a credentials file that a backup restore left readable by others
    await writeFile(file, JSON.stringify({ server: 'http://jf', userId: 'u1', userName: 'ann', token: 'secret-token-123' }));
    await chmod(file, loose);
    expect((await stat(file)).mode & 0o777).toBe(loose);
    // When reelterm opens it
    const notices: string[] = [];
    const store = await CredentialsStore.open(dir, notices);
    // Then only the user can read it, the sign-in is intact, and the user is told
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(store.get()).toEqual({ server: 'http://jf', userId: 'u1', userName: 'ann', token: 'secret-token-123' });
    expect(notices).toEqual(['credentials.json was readable by other users; it is now private (0600)']);
  });

  it('say nothing when the file is already private', async () => {
    const dir = await tempDir();
    const first = await CredentialsStore.open(dir, []);
    first.save({ server: 'http://jf', userId: 'u1', userName: 'ann', token: 'secret-token-123' });
    const notices: string[] = [];
    await CredentialsStore.open(dir, notices);
    expect(notices).toEqual([]);
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
  });
});

describe('settings', () => {
  it('create a device id once and keep it', async () => {
    const dir = await tempDir();
    const first = await loadSettings(dir, []);
    const second = await loadSettings(dir, []);
    expect(first.settings.deviceId).toMatch(/^[0-9a-f]{32}$/);
    expect(second.settings.deviceId).toBe(first.settings.deviceId);
    expect(first.settings.syncWaitSeconds).toBe(3);
  });

  it('name an invalid key and fall back to its default', async () => {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), JSON.stringify({ deviceId: 'abc', syncWaitSeconds: 'soon' }));
    const notices: string[] = [];
    const { settings } = await loadSettings(dir, notices);
    expect(settings.syncWaitSeconds).toBe(3);
    expect(notices).toEqual([expect.stringContaining('"syncWaitSeconds" must be a number of seconds')]);
  });

  it.each([
    ['continuousPlay', 'yes', 'must be true or false'],
    ['audioLanguages', 'eng', 'must be a list of language codes'],
    ['subtitleLanguages', ['english please'], 'must be a list of language codes'],
    ['skipSegments', 'always', 'must be "ask", "auto" or "off"'],
    ['skipSegmentTypes', ['Intro', 'Ads'], 'must be a list of "Intro", "Recap", "Outro", "Preview", "Commercial"'],
    ['progressIntervalSeconds', 0, 'must be a number of seconds between 1 and 600'],
  ])('name a bad %s and use its default, keeping the good ones', async (key, value, message) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'config.json'), JSON.stringify({ deviceId: 'abc', [key]: value, mpvArgs: ['--fs'] }));
    const notices: string[] = [];
    const { settings } = await loadSettings(dir, notices);
    expect(notices).toEqual([expect.stringContaining(`"${key}" ${message}`)]);
    expect(settings[key as 'continuousPlay']).toEqual(DEFAULT_SETTINGS[key as 'continuousPlay']);
    expect(settings.mpvArgs).toEqual(['--fs']);
  });

  it('save a valid change to the file at once, and refuse an invalid one without writing it', async () => {
    const dir = await tempDir();
    const loaded = await loadSettings(dir, []);
    expect(loaded.save('subtitleLanguages', ['de', 'eng'])).toBeUndefined();
    expect(loaded.save('syncWaitSeconds', -1)).toMatch(/between 0 and 600/);
    const file = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(file.subtitleLanguages).toEqual(['de', 'eng']);
    expect(file.syncWaitSeconds).toBeUndefined();
    expect((await loadSettings(dir, [])).settings.subtitleLanguages).toEqual(['de', 'eng']);
  });
});
