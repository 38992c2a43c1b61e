import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../helpers/run-cli.js';

/** Runs `reelterm login --plex …` without a terminal; `onLine` sees each stderr line as it comes. */
export function login(
  args: string[],
  home: string,
  env: NodeJS.ProcessEnv,
  onLine: (line: string, child: ChildProcess) => void = () => undefined,
  killAfterMs = 60_000,
) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'login', '--plex', ...args], { env: { ...process.env, NO_COLOR: '1', REELTERM_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      partial += chunk.toString();
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) onLine(line, child);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export const codeIn = (line: string) => /enter the code (\w+)/.exec(line)?.[1];
