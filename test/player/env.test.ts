import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchPlayer } from '../../src/commands/play.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import { Player } from '../../src/player/index.js';
import { tempDir } from '../helpers/temp-home.js';
import { writeFakeMpv } from './fake-mpv.js';

// `reelterm login` may read the password from REELTERM_PASSWORD. mpv runs the user's scripts and
// hooks, and anything it starts inherits its environment: the password must not be in it.
// The stand-in for mpv here is a real program: a shell script that writes the environment it was
// given to a file, then execs the usual IPC-speaking stand-in (same process, same fd 3).

const PASSWORD = 'hunter2-do-not-leak';

async function writeEnvRecordingMpv(dir: string) {
  const fake = await writeFakeMpv(dir);
  const envFile = join(dir, 'mpv-env.json');
  const path = join(dir, 'mpv-recording-env');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  await writeFile(
    path,
    [
      '#!/bin/sh',
      `${quote(process.execPath)} -e 'require("node:fs").writeFileSync(process.argv[1], JSON.stringify(process.env))' ${quote(envFile)}`,
      `exec ${quote(fake.path)} "$@"`,
      '',
    ].join('\n'),
  );
  await chmod(path, 0o755);
  return {
    path,
    fakeEnv: fake.env('compliant'),
    environment: async () => JSON.parse(await readFile(envFile, 'utf8')) as Record<string, string>,
    seen: fake.seen,
  };
}

const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

describe('the environment mpv runs with', () => {
  it('holds no REELTERM_PASSWORD when the TUI starts a playback', async () => {
    // Given reelterm was started with the password in its environment
    const dir = await tempDir();
    const mpv = await writeEnvRecordingMpv(dir);
    Object.assign(process.env, mpv.fakeEnv, { REELTERM_PASSWORD: PASSWORD, REELTERM_TEST_MARKER: 'kept' });

    // When the TUI's launcher plays a file in (the stand-in for) mpv
    const settings: Settings = { ...DEFAULT_SETTINGS, deviceId: 'test-device', mpvPath: mpv.path };
    const player = await launchPlayer(settings)({
      entries: [{ url: 'https://jf.example/Videos/abc/stream', title: 'Film', startSeconds: 0 }],
      httpHeaders: ['Authorization: MediaBrowser Token="tok"'],
    });
    await player.stop();

    // Then mpv got the rest of the environment but not the password, under any form
    const environment = await mpv.environment();
    expect(environment.REELTERM_TEST_MARKER).toBe('kept');
    expect(environment.PATH).toBe(process.env.PATH);
    expect(Object.keys(environment)).not.toContain('REELTERM_PASSWORD');
    expect(JSON.stringify(environment)).not.toContain(PASSWORD);
    // and the playback itself went through (mpv was told to load the file)
    expect(JSON.stringify((await mpv.seen()).commands)).toContain('https://jf.example/Videos/abc/stream');
    // and reelterm's own environment is left as it was
    expect(process.env.REELTERM_PASSWORD).toBe(PASSWORD);
  });

  it('holds no REELTERM_PASSWORD even when the caller passes an environment that has it', async () => {
    const dir = await tempDir();
    const mpv = await writeEnvRecordingMpv(dir);
    const env = { ...mpv.fakeEnv, REELTERM_PASSWORD: PASSWORD };

    const player = await Player.launch({ mpvPath: mpv.path, env, url: 'https://jf.example/Videos/abc/stream', title: 'Film' });
    await player.stop();

    const environment = await mpv.environment();
    expect(environment.FAKE_MPV_MODE).toBe('compliant');
    expect(Object.keys(environment)).not.toContain('REELTERM_PASSWORD');
    expect(JSON.stringify(environment)).not.toContain(PASSWORD);
    // The caller's object is not changed behind its back.
    expect(env.REELTERM_PASSWORD).toBe(PASSWORD);
  });
});
