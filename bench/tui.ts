// TUI benchmarks (issues #5, #19): the built app (bin/reelterm → dist/) in a pseudo-terminal of
// 100 × 30, as a person runs it, against a minimal Ink app of the same Ink version bundled the
// same way (ref-ink-app.ts), the two alternating round by round:
// 1. first frame: spawn → the first complete frame of the home screen with its libraries
//    (`reelterm --demo`, whose demo server starts in the process);
// 2. keypress → frame: `j` in a 50,000-film library → the frame that shows the next row
//    selected (reelterm signed in to a demo Jellyfin server with 50,000 films in its own
//    process); screen change: back to home, and open the list again (already fetched);
//    `q` → process exit on a details screen, nothing pending;
// 3. while a film plays in mpv (no video or audio output): CPU time of the TUI process alone
//    (not mpv) over BENCH_TUI_SECONDS (default 10) per round, and `q` → process exit. The film
//    is 24 frames/s, as a real one (servers.ts `filmClip()`, made by assets/demo/make-clip.sh
//    in the scratch folder; the demo server streams it, the minimal Ink app plays it): a client
//    that follows mpv's `time-pos` hears it once a frame, 24 times a second, where the 1 frame/s
//    demo clip would say it once and hide that cost.
// Each `q` figure takes BENCH_QUIT_ROUNDS (default 9) sessions of its own.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceInkApp, reeltermBin } from './bundles.js';
import { median, paired, percentile, rounds, sleep } from './measure.js';
import { Pty } from './pty.js';
import { report, shown } from './report.js';
import { FILM_FPS, filmClip, signedInHome, startDemoProcess, type DemoProcess } from './servers.js';

const SIZE = { rows: 30, columns: 100 };
// Ink prints only the last frame when CI is set: both apps run as on a person's terminal.
const BASE_ENV: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
delete BASE_ENV.CI;

/** What each app shows, so one driver runs both. */
interface Script {
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** The home screen, loaded. */
  home: RegExp;
  /** The library row selected on home. */
  librarySelected: RegExp;
  /** The list's heading with row `n` selected (`n` undefined: any row). */
  list: (n?: number) => RegExp;
  /** A details screen. */
  details: RegExp;
  /** Playing. */
  playing: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function reelterm(home: string, argv: string[] = []): Promise<Script> {
  return {
    argv: [process.execPath, await reeltermBin(), ...argv],
    env: { ...BASE_ENV, REELTERM_HOME: home },
    home: /Libraries/,
    librarySelected: /›\s+Movies\b/,
    list: (n) => new RegExp(`Movies · ${n === undefined ? '[\\d,]+' : escape(String(n))}/[\\d,]+`),
    details: /enter play/,
    playing: /▶ Playing/,
  };
}

async function reference(argv: string[] = []): Promise<Script> {
  return {
    argv: [process.execPath, await referenceInkApp(), ...argv],
    env: BASE_ENV,
    home: /Libraries/,
    librarySelected: /›\s+Movies\b/,
    list: (n) => new RegExp(`Items · ${n === undefined ? '\\d+' : n}/\\d+`),
    details: /enter play/,
    playing: /▶ Playing/,
  };
}

/**
 * Milliseconds from spawn to the first complete frame of the loaded home screen (`ms`), and to
 * the app's first output (`start`): both apps switch to the alternate screen just before Ink's
 * first render, so `start` is what came before drawing (Node, the bundle, and for reelterm its
 * demo server, sign-in, queue and home request) and `ms − start` the drawing.
 */
async function firstFrameOnce(script: Script): Promise<{ ms: number; start: number }> {
  const app = Pty.start(script.argv, { env: script.env, ...SIZE });
  try {
    const frame = await app.waitFrame((text) => script.home.test(text), app.startedAt, 20_000, 'home screen');
    const first = app.frames[0] ?? frame;
    return { ms: frame.at - app.startedAt, start: first.at - app.startedAt };
  } finally {
    await app.kill();
  }
}

export async function benchFirstFrame(): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'reelterm-bench-home-'));
  try {
    const subject = await reelterm(home, ['--demo']);
    const ref = await reference();
    // Warm the file cache for both.
    await firstFrameOnce(subject);
    await firstFrameOnce(ref);
    // (a round is a second or two, and the spread between rounds is wide on a busy machine)
    const n = rounds(3) * 4 - 1;
    const result = await paired(n, () => firstFrameOnce(subject), () => firstFrameOnce(ref), 'first frame');
    report({
      name: 'tui.first_frame',
      label: 'first full frame of `reelterm --demo` (home with libraries), from spawn in a pseudo-terminal',
      value: result.s('ms'),
      unit: 'ms',
      reference: { label: 'minimal Ink app, same Ink, bundled the same way', value: result.r('ms'), unit: 'ms' },
      ratio: result.ratio('ms'),
      target: '≤ 1.3× the minimal Ink app',
      met: result.ratio('ms') <= 1.3,
      idle: '≤ 300 ms',
      note: `median of ${n} rounds, alternating; first output (the switch to the alternate screen, just before the first render) at ${shown(result.s('start'))} ms (reference ${shown(result.r('start'))} ms), so drawing took ${shown(result.s('ms') - result.s('start'))} ms (reference ${shown(result.r('ms') - result.r('start'))} ms)`,
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** From home, selects the library row and opens the list (not timed: the first open fetches). */
async function openLibrary(app: Pty, script: Script): Promise<void> {
  await app.waitFrame((text) => script.home.test(text), app.startedAt, 30_000, 'home screen');
  // A key typed before the app reads the terminal in raw mode is taken by the line discipline.
  await sleep(500);
  for (let i = 0; i < 20 && !script.librarySelected.test(app.screen); i++) {
    const at = app.press('j');
    await app.waitFrame(() => true, at, 5000, 'frame after j').catch(() => undefined);
  }
  if (!script.librarySelected.test(app.screen)) throw new Error(`the library row could not be selected; the screen:\n${app.screen}`);
  for (let attempt = 1; ; attempt++) {
    const at = app.press('\r');
    try {
      await app.waitFrame((text) => script.list(1).test(text), at, attempt < 3 ? 10_000 : 30_000, 'the list');
      return;
    } catch (error) {
      if (attempt >= 3 || script.list().test(app.screen)) throw error;
    }
  }
}

interface Interaction extends Record<string, number> {
  keyP95: number;
  keyMedian: number;
  back: number;
  open: number;
}

/** One session: keypresses in the list, screen changes, a details screen, then `q`. */
async function interactOnce(script: Script, presses: number, changes: number): Promise<Interaction> {
  const app = Pty.start(script.argv, { env: script.env, ...SIZE });
  try {
    await openLibrary(app, script);
    await sleep(300);
    const keys: number[] = [];
    for (let i = 2; i <= presses + 1; i++) {
      const at = app.press('j');
      const frame = await app.waitFrame((text) => script.list(i).test(text), at, 10_000, `row ${i} selected`);
      keys.push(frame.at - at);
      // about the pace of a held key (30 a second)
      await sleep(30);
    }
    await sleep(300);
    const backs: number[] = [];
    const opens: number[] = [];
    for (let i = 0; i < changes; i++) {
      let at = app.press('\x7f');
      let frame = await app.waitFrame((text) => script.home.test(text) && !script.list().test(text), at, 10_000, 'home after backspace');
      backs.push(frame.at - at);
      await sleep(200);
      at = app.press('\r');
      frame = await app.waitFrame((text) => script.list().test(text), at, 10_000, 'the list again');
      opens.push(frame.at - at);
      await sleep(200);
    }
    return { keyP95: percentile(keys, 95), keyMedian: median(keys), back: median(backs), open: median(opens) };
  } finally {
    await app.kill();
  }
}

/** `q` → process exit on a details screen: a session of its own (open the list, a film's details, `q`). */
async function quitDetailsOnce(script: Script): Promise<{ quit: number }> {
  const app = Pty.start(script.argv, { env: script.env, ...SIZE });
  try {
    await openLibrary(app, script);
    // (the minimal app takes a key typed as its list appears for none)
    await sleep(300);
    const at = app.press('\r');
    await app.waitFrame((text) => script.details.test(text), at, 10_000, 'details screen');
    await sleep(500);
    return { quit: await quitTime(app, 15_000) };
  } finally {
    await app.kill();
  }
}

/** Presses `q` and waits for the process to exit: the milliseconds between. */
async function quitTime(app: Pty, limitMs: number): Promise<number> {
  const at = app.press('q');
  const exited = await Promise.race([app.exited, sleep(limitMs).then(() => Number.NaN)]);
  if (Number.isNaN(exited)) throw new Error(`no exit ${limitMs / 1000} s after q; the screen:\n${app.screen}`);
  return exited - at;
}

/** How many rounds the `q` figures take: a single exit is a few tens of ms, and one slow round moves a median of three. */
function quitRounds(): number {
  const value = Number(process.env.BENCH_QUIT_ROUNDS);
  return Number.isInteger(value) && value > 0 ? value : 9;
}

/** A process's user + system CPU seconds so far. */
async function cpuSeconds(pid: number): Promise<number> {
  // The scheduler's own count, in nanoseconds, summed over the threads (V8's and libuv's
  // included): /proc/<pid>/stat counts in 10 ms ticks, each a fifth of the 0.5 % target over
  // a 10 s window. (A thread that ended between two readings would take its time with it:
  // the TUI's threads live as long as it does.) The ticks where schedstat is not kept.
  const { readdir } = await import('node:fs/promises');
  let nanoseconds = 0;
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    nanoseconds += Number((await readFile(`/proc/${pid}/task/${task}/schedstat`, 'utf8').catch(() => '0')).split(' ')[0]) || 0;
  }
  if (nanoseconds > 0) return nanoseconds / 1e9;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The first child of `pid` whose command is `name`. */
async function childNamed(pid: number, name: string): Promise<number | undefined> {
  const { readdir } = await import('node:fs/promises');
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const children = (await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
    for (const child of children) {
      if ((await readFile(`/proc/${child}/comm`, 'utf8').catch(() => '')).trim() === name) return Number(child);
    }
  }
  return undefined;
}

interface Playing extends Record<string, number> {
  cpu: number;
  mpvCpu: number;
  quit: number;
}

/** Plays a film, measures the app's CPU (and mpv's) over `seconds`, then `q` → exit. */
async function playOnce(script: Script, seconds: number, film: number, reelterm: boolean): Promise<Playing> {
  const app = Pty.start(script.argv, { env: script.env, ...SIZE });
  try {
    if (reelterm) {
      await openLibrary(app, script);
      for (let i = 0; i < film; i++) {
        const at = app.press('j');
        await app.waitFrame((text) => script.list(i + 2).test(text), at, 10_000, `row ${i + 2}`);
      }
      let at = app.press('\r');
      await app.waitFrame((text) => script.details.test(text), at, 10_000, 'details screen');
      at = app.press('\r');
      const frame = await app.waitFrame((text) => script.playing.test(text) || /enter choose/.test(text), at, 30_000, 'playback');
      if (!script.playing.test(frame.text)) {
        at = app.press('\r');
        await app.waitFrame((text) => script.playing.test(text), at, 30_000, 'playback');
      }
    } else {
      await app.waitFrame((text) => script.playing.test(text), app.startedAt, 30_000, 'playback');
      await sleep(500);
    }
    // past the start (mpv opening the stream, the start report)
    await sleep(3000);
    const pid = await app.programPid();
    const mpv = await childNamed(pid, 'mpv');
    const before = await cpuSeconds(pid);
    const mpvBefore = mpv === undefined ? 0 : await cpuSeconds(mpv);
    const started = performance.now();
    await sleep(seconds * 1000);
    const used = (await cpuSeconds(pid)) - before;
    const mpvUsed = mpv === undefined ? 0 : (await cpuSeconds(mpv)) - mpvBefore;
    const wall = (performance.now() - started) / 1000;
    return { cpu: (used / wall) * 100, mpvCpu: (mpvUsed / wall) * 100, quit: await quitTime(app, 20_000), cpuSeconds: used, wall };
  } finally {
    await app.kill();
  }
}

/**
 * The demo Jellyfin server with 50,000 films, each streaming `clip` when given (else the demo
 * clip), and a home signed in to it (mpv without video or audio).
 */
async function bigServer(clip?: string): Promise<{ server: DemoProcess; home: string; done: () => Promise<void> }> {
  const server = await startDemoProcess('jellyfin', 50_000, clip);
  const home = await signedInHome(server, { mpvArgs: ['--vo=null', '--ao=null'] });
  return {
    server,
    home,
    done: async () => {
      await server.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export async function benchInteraction(): Promise<void> {
  const big = await bigServer();
  try {
    const subject = await reelterm(big.home);
    const ref = await reference();
    const n = rounds(3);
    const presses = Math.max(20, Math.round(Number(process.env.BENCH_KEYPRESSES ?? 300) / n));
    const changes = 3;
    const result = await paired(n, () => interactOnce(subject, presses, changes), () => interactOnce(ref, presses, changes), 'interaction');
    const note = `${n} sessions of ${presses} presses each, alternating with the reference; p95 of each session, median of the sessions`;
    report({
      name: 'tui.keypress_to_frame_50k.p95',
      label: 'keypress → frame, p95, `j` in a 50,000-film library',
      value: result.s('keyP95'),
      unit: 'ms',
      reference: { label: 'minimal Ink app, a 50,000-row windowed list', value: result.r('keyP95'), unit: 'ms' },
      ratio: result.ratio('keyP95'),
      target: '≤ 1.2× the minimal Ink app',
      met: result.ratio('keyP95') <= 1.2,
      idle: '≤ 16 ms',
      note: `${note}; median keypress ${shown(result.s('keyMedian'))} ms (reference ${shown(result.r('keyMedian'))} ms)`,
    });
    report({
      name: 'tui.screen_change.open',
      label: 'screen change: open a list already fetched (enter on home → the 50,000-film list)',
      value: result.s('open'),
      unit: 'ms',
      reference: { label: 'minimal Ink app, home → list', value: result.r('open'), unit: 'ms' },
      ratio: result.ratio('open'),
      target: '≤ 2× the minimal Ink app',
      met: result.ratio('open') <= 2,
      idle: '≤ 30 ms',
      note: `median of ${n * changes} changes, alternating`,
    });
    report({
      name: 'tui.screen_change.back',
      label: 'screen change: go back (backspace in the list → home)',
      value: result.s('back'),
      unit: 'ms',
      reference: { label: 'minimal Ink app, list → home', value: result.r('back'), unit: 'ms' },
      ratio: result.ratio('back'),
      target: '≤ 2× the minimal Ink app',
      met: result.ratio('back') <= 2,
      idle: '≤ 30 ms',
      note: `median of ${n * changes} changes, alternating`,
    });
    const q = quitRounds();
    const quit = await paired(q, () => quitDetailsOnce(subject), () => quitDetailsOnce(ref), 'quit on details');
    report({
      name: 'tui.quit.details',
      label: '`q` → process exit on a details screen, nothing pending',
      value: quit.s('quit'),
      unit: 'ms',
      reference: { label: 'minimal Ink app, `q` → exit', value: quit.r('quit'), unit: 'ms' },
      ratio: quit.ratio('quit'),
      target: '≤ 1.25× the minimal Ink app',
      met: quit.ratio('quit') <= 1.25,
      idle: '≤ 50 ms',
      note: `median of ${q} rounds (BENCH_QUIT_ROUNDS), alternating; a session of its own each`,
    });
  } finally {
    await big.done();
  }
}

export async function benchPlaying(): Promise<void> {
  const film = await filmClip();
  const big = await bigServer(film);
  try {
    const seconds = Math.max(5, Number(process.env.BENCH_TUI_SECONDS ?? '10'));
    const subject = await reelterm(big.home);
    const ref = await reference(['--mpv', film]);
    const n = rounds(3);
    const result = await paired(n, (round) => playOnce(subject, seconds, round, true), () => playOnce(ref, seconds, 0, false), 'playing');
    // CPU over all windows together: the share of the summed CPU time in the summed wall time.
    const share = (values: Record<string, number[]>) => ((values.cpuSeconds ?? []).reduce((a, b) => a + b, 0) / (values.wall ?? []).reduce((a, b) => a + b, 0)) * 100;
    const cpu = share(result.subject);
    const refCpu = share(result.reference);
    report({
      name: 'tui.playback_cpu',
      label: `TUI process CPU while a ${FILM_FPS} frames/s film plays (CPU time ÷ wall time; the TUI process only, not mpv)`,
      value: cpu,
      unit: '% of a core',
      reference: { label: 'minimal Ink app redrawing a progress line each second', value: refCpu, unit: '%' },
      ratio: cpu / refCpu,
      target: '≤ 0.5 %',
      met: cpu <= 0.5,
      note: `${n} windows of ${seconds} s (BENCH_TUI_SECONDS); a ${FILM_FPS} frames/s film (mpv reports \`time-pos\` once a frame), made from assets/demo/make-clip.sh; CPU time as the scheduler counts it (nanoseconds, every thread), which load barely changes; mpv itself ${shown(result.s('mpvCpu'))} % (not counted)`,
    });
    // `q` in sessions of their own, each on another film (the one before would offer to resume).
    const q = quitRounds();
    const quit = await paired(q, (round) => playOnce(subject, 1, n + round, true), () => playOnce(ref, 1, 0, false), 'quit while playing');
    report({
      name: 'tui.quit.playing',
      label: `\`q\` → process exit while mpv plays a ${FILM_FPS} frames/s film`,
      value: quit.s('quit'),
      unit: 'ms',
      reference: { label: 'minimal Ink app stopping its mpv (SIGTERM, waits for its exit)', value: quit.r('quit'), unit: 'ms' },
      ratio: quit.ratio('quit'),
      target: '≤ 1.25× the minimal Ink app',
      met: quit.ratio('quit') <= 1.25,
      idle: '≤ 120 ms',
      note: `median of ${q} rounds (BENCH_QUIT_ROUNDS), alternating; a session of its own each, 1 s into the ${FILM_FPS} frames/s film`,
    });
  } finally {
    await big.done();
  }
}
