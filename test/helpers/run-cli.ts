import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built executable, as a user runs it. */
export const BIN = fileURLToPath(new URL('../../bin/reelterm', import.meta.url));

/** Runs `bin/reelterm` with `args` and a private REELTERM_HOME; resolves with its output and exit code. */
export function runCli(args: string[], options: { home: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...options.env, REELTERM_HOME: options.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}
