import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { expect, onTestFinished } from 'vitest';
import { BIN } from './run-cli.js';

const run = promisify(execFile);

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let started = 0;

/** A tmux session running one command, driven like a person at a terminal. */
export class Terminal {
  constructor(readonly name: string) {}

  /** Starts `command` in a `columns`×`rows` terminal (110×30 unless told). */
  /**
   * `command` in a new tmux terminal of `size`; with `startAfterSeconds`, the terminal is there
   * first and the command starts that much later (keys typed meanwhile wait for it in the terminal).
   */
  static async start(command: string, env: Record<string, string>, size: { columns: number; rows: number } = { columns: 110, rows: 30 }, startAfterSeconds?: number): Promise<Terminal> {
    const name = `reelterm-e2e-${process.pid}-${Date.now()}-${++started}`;
    const exports = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
    const wait = startAfterSeconds !== undefined ? `sleep ${startAfterSeconds}; ` : '';
    const terminal = new Terminal(name);
    await terminal.tmux(['new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), `${wait}env ${exports} ${command}; sleep 30`]);
    onTestFinished(() => terminal.kill());
    return terminal;
  }

  /**
   * Runs a tmux command on this terminal's own tmux server (`-L`, a socket of its own). On the
   * one default server the test workers shared, a terminal opened just as another worker killed
   * the last session met the server on its way out ("server exited unexpectedly").
   */
  tmux(args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run('tmux', ['-L', this.name, ...args]);
  }

  async screen(): Promise<string> {
    const { stdout } = await this.tmux(['capture-pane', '-p', '-t', this.name]);
    return stdout;
  }

  async keys(...keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.tmux(['send-keys', '-t', this.name, key]);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** Waits until the screen matches; fails with what the screen showed. */
  async waitFor(pattern: RegExp, ms = 15_000): Promise<string> {
    const deadline = Date.now() + ms;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen();
      if (pattern.test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`Timed out waiting for ${String(pattern)}; the terminal shows:\n${screen}`);
  }

  async kill(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
  }
}

/** mpv processes started by a reelterm with this REELTERM_HOME (they inherit its environment). */
export async function mpvProcessesWith(home: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== 'mpv') continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(`REELTERM_HOME=${home}`)) found.push(Number(entry));
  }
  return found;
}

/** The reelterm (node) process running with this REELTERM_HOME. */
export async function reeltermWith(home: string): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.includes(BIN)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(`REELTERM_HOME=${home}`)) return Number(entry);
  }
  return undefined;
}

/** Sends a fault command to the demo server's admin endpoint. */
export async function fault(adminPort: number, command: object): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${adminPort}/__demo/faults`, { method: 'POST', body: JSON.stringify(command) });
  expect(response.ok).toBe(true);
}


/** From the home screen: Shows → the first series → Season 1 → S01E01 → play, until mpv plays. */
export async function playFirstEpisode(term: Terminal): Promise<void> {
  await term.waitFor(/Libraries/);
  await term.keys('j', 'Enter');
  await term.waitFor(/Shows · 1\/\d+/);
  await term.keys('Enter');
  await term.waitFor(/Season 1/);
  await term.keys('Enter');
  await term.waitFor(/› +S01E01/);
  await term.keys('Enter');
  await term.waitFor(/enter play/);
  await term.keys('Enter');
  await term.waitFor(/▶ Playing +\d+:\d\d \/ 10:00/, 30_000);
}

/**
 * `reelterm --demo` in a columns×rows tmux terminal (110×30 unless told), in a home of its own
 * whose config makes mpv draw and sound nothing and waits `syncWaitSeconds` (2) for sync. The
 * terminal, and then the home, go when the test ends (once reelterm has written its queue).
 */
export async function demoTerminal(options: { columns?: number; rows?: number; syncWaitSeconds?: number; plex?: boolean; startAfterSeconds?: number } = {}): Promise<{ term: Terminal; home: string; port: number; adminPort: number }> {
  const home = await mkdtemp(join(tmpdir(), 'reelterm-term-'));
  await mkdir(join(home, 'config'), { recursive: true });
  await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ mpvArgs: ['--vo=null', '--ao=null'], syncWaitSeconds: options.syncWaitSeconds ?? 2 }));
  const [port, adminPort] = [await freePort(), await freePort()];
  const term = await Terminal.start(
    `${process.execPath} ${BIN} --demo${options.plex ? ' --plex' : ''}`,
    { REELTERM_HOME: home, REELTERM_DEMO_PORT: String(port), REELTERM_DEMO_ADMIN_PORT: String(adminPort), NO_COLOR: '1', TERM: 'xterm-256color' },
    { columns: options.columns ?? 110, rows: options.rows ?? 30 },
    options.startAfterSeconds,
  );
  onTestFinished(async () => {
    await term.kill();
    for (let i = 0; i < 50 && (await reeltermWith(home)) !== undefined; i++) await new Promise((r) => setTimeout(r, 100));
    await rm(home, { recursive: true, force: true, maxRetries: 5 });
  });
  return { term, home, port, adminPort };
}
