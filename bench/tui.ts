// TUI benchmarks (issue #5). Prints `name: value unit (target …)`.
// 1. First frame of `reelterm --demo`: from spawn (in a pseudo-terminal) to the home screen drawn.
// 2. Keypress → frame on a 50,000-item library: the LibraryScreen on the demo server's Movies.
// 3. CPU of the reelterm process over BENCH_TUI_SECONDS (default 60) of playback in mpv, footer live.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { createServices } from '../src/commands/services.js';
import { startDemoServer } from '../src/servers/jellyfin/demo/index.js';
import { JellyfinClient } from '../src/servers/jellyfin/client.js';
import { Outbox } from '../src/sync/outbox.js';
import { LibraryScreen } from '../src/tui/components/LibraryScreen.js';
import { Low, Memory } from 'lowdb';
import { emptyQueue, type QueueData } from '../src/sync/op.js';
import { report } from './report.js';
import { jellyfinServer } from '../src/servers/jellyfin/index.js';

const BIN = fileURLToPath(new URL('../bin/reelterm', import.meta.url));

/** Milliseconds from spawning `reelterm --demo` in a pseudo-terminal (util-linux `script`) to the home screen. */
async function firstFrameOnce(home: string): Promise<number> {
  const started = performance.now();
  const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} --demo`, '/dev/null'], {
    env: { ...process.env, REELTERM_HOME: home, NO_COLOR: '1', COLUMNS: '100', LINES: '30', TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let output = '';
  const ms = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no home screen after 10 s:\n${output}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Libraries')) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
  });
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return ms;
}

export async function benchFirstFrame(): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'reelterm-bench-'));
  try {
    await firstFrameOnce(home); // warm the file cache
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await firstFrameOnce(home));
    runs.sort((a, b) => a - b);
    const median = runs[2]!;
    report('tui.first_frame.median', median, 'ms', '≤ 500', median <= 500);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Median time from a `j` to the frame that shows the next row selected, 300 presses, 50,000 items. */
export async function benchKeypress(): Promise<void> {
  const server = await startDemoServer({ adminPort: false, library: { extraItems: 50_000 } });
  try {
    const client = new JellyfinClient({ serverUrl: server.url, deviceId: 'bench', deviceName: 'bench', clientVersion: '0.1.0' });
    await client.authenticateByName('demo', 'demo');
    const outbox = new Outbox({ db: new Low<QueueData>(new Memory<QueueData>(), emptyQueue()), deliver: { send: async () => 'delivered', probe: async () => undefined } });
    const services = createServices({ server: jellyfinServer(client), outbox, launch: () => Promise.reject(new Error('no playback in this benchmark')), syncWaitMs: 0, who: 'bench', account: { server: server.url, userName: 'demo' } });
    const movies = (await client.userViews()).find((view) => view.name === 'Movies')!;
    const view = render(createElement(LibraryScreen, { parent: movies, services, height: 40, onOpen: () => undefined }));
    const waitFor = async (text: string) => {
      while (!(view.lastFrame() ?? '').includes(text)) await new Promise((r) => setImmediate(r));
    };
    await waitFor('Movies · 1/');
    const times: number[] = [];
    for (let i = 2; i <= 301; i++) {
      const started = performance.now();
      view.stdin.write('j');
      await waitFor(`Movies · ${i}/`);
      times.push(performance.now() - started);
      // let any page fetch land before the next press, as a person's pace would
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 100));
    }
    view.unmount();
    await outbox.close();
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.floor(times.length * 0.95)]!;
    report('tui.keypress_to_frame_50k.median', median, 'ms', '≤ 16', median <= 16);
    report('tui.keypress_to_frame_50k.p95', p95, 'ms', '≤ 16', p95 <= 16);
  } finally {
    await server.close();
  }
}

/** The pid of the process of this name whose environment has REELTERM_HOME=home. */
async function pidWithHome(name: string, home: string): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if ((await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '')).trim() !== name) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(`REELTERM_HOME=${home}`)) return Number(entry);
  }
  return undefined;
}

/** User + system CPU seconds of a process so far (Linux clock ticks are 1/100 s). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function benchPlaybackCpu(): Promise<void> {
  const seconds = Number(process.env.BENCH_TUI_SECONDS ?? '60');
  const home = await mkdtemp(join(tmpdir(), 'reelterm-bench-'));
  await mkdir(join(home, 'config'), { recursive: true });
  await writeFile(join(home, 'config', 'config.json'), JSON.stringify({ mpvArgs: ['--vo=null', '--ao=null'] }));
  const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} --demo`, '/dev/null'], {
    env: { ...process.env, REELTERM_HOME: home, NO_COLOR: '1', COLUMNS: '100', LINES: '30', TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 15_000;
    while (!output.includes(text)) {
      if (Date.now() > deadline) throw new Error(`no "${text}" on screen`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      child.stdin.write(key);
      await new Promise((r) => setTimeout(r, 400));
    }
  };
  try {
    await waitFor('Libraries');
    await press('j', '\r', '\r', '\r', '\r', '\r');
    await waitFor('▶ Playing');
    const pid = await pidWithHome('node', home);
    if (pid === undefined) throw new Error('reelterm process not found');
    const before = await cpuSeconds(pid);
    const started = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const used = (await cpuSeconds(pid)) - before;
    const wall = (performance.now() - started) / 1000;
    const share = (used / wall) * 100;
    report('tui.playback_cpu', share, '% of one core', '≤ 1 %', share <= 1);
    await press('s');
    await press('q');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await rm(home, { recursive: true, force: true });
  }
}
