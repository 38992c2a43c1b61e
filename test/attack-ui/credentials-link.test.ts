import { lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { login } from '../helpers/accounts.js';
import { useDemoServer } from '../helpers/demo-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

const server = useDemoServer({ users: [{ name: 'ann', password: 'correct horse' }] });

describe('credentials.json as a symlink (a dotfile manager)', () => {
  it('keeps the link, writes through it, and keeps the target private', async () => {
    const home = await tempDir();
    const dotfiles = await tempDir();
    const target = join(dotfiles, 'credentials.json');
    await writeFile(target, '{}', { mode: 0o644 });
    await mkdir(join(home, 'config'), { recursive: true });
    await symlink(target, join(home, 'config', 'credentials.json'));
    const result = await login(server(), home, 'ann', 'correct horse');
    expect(result.code).toBe(0);
    expect((await lstat(join(home, 'config', 'credentials.json'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(target, 'utf8'))).toMatchObject({ userName: 'ann' });
    expect((await stat(target)).mode & 0o077).toBe(0);
    const pending = await runCli(['sync'], { home });
    expect(pending.code).toBe(0);
  });
});
