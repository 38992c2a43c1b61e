import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Runs `program args` as the user `nobody`. */
function runAsNobody(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { uid: NOBODY, gid: NOBODY, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ stdout, stderr, code }));
  });
}

describe.skipIf(!asRoot)('credentials.json owned by another user (after `sudo reelterm login`)', () => {
  /**
   * `sudo reelterm login` (or a backup restored as root) leaves credentials.json owned by root,
   * mode 0644, in the user's own config folder. reelterm cannot chmod a file it does not own, so
   * it says "Run: chmod 600 <file>", which fails the same way for the user ("Operation not
   * permitted"). Every run repeats the notice and the token stays readable by every account on
   * the machine, though reelterm could make it private itself: the folder is the user's, so an
   * atomic rewrite (as every save does) replaces the file with a private one of the user's own.
   */
  it('makes the token private, or gives advice that works', async (context) => {
    const home = await tempDir();
    await chown(home, NOBODY, NOBODY);
    await mkdir(join(home, 'config'));
    await chown(join(home, 'config'), NOBODY, NOBODY);
    const file = join(home, 'config', 'credentials.json');
    await writeFile(file, JSON.stringify({ server: 'http://127.0.0.1:9', userId: 'u1', userName: 'ann', token: '0123456789abcdef0123456789abcdef' }));
    await chmod(file, 0o644);

    // (a node nobody may not run, as one installed under root's home, cannot play the other user)
    const run = await runAsNobody(process.execPath, [BIN, '--pending'], { REELTERM_HOME: home, HOME: home }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EACCES') context.skip(`the user nobody may not run ${process.execPath}`);
      throw error;
    });
    const sync = await runAsNobody(process.execPath, [BIN, 'sync', '--timeout', '1'], { REELTERM_HOME: home, HOME: home });
    expect(run.code).toBe(0);
    if (((await stat(file)).mode & 0o077) === 0) return;
    // Not private: then the advice reelterm gave must work for the user
    expect(sync.stderr).toContain(`Run: chmod 600 ${file}`);
    const advice = await runAsNobody('chmod', ['600', file], {});
    expect({ advice: advice.stderr.trim(), code: advice.code }).toEqual({ advice: '', code: 0 });
  });
});
