// Playback benchmark (issues #4, #18): real mpv playing the demo clip through reelterm's
// server layer (the stream proxy, the session, the outbox, the queue file, the kind's own
// deliverer), against the Jellyfin and the Plex demo server, each in its own process.
// 1. One hour of media (the 600 s clip six times) at --speed=100: queue writes, requests the
//    server received for watch state (not the media), and CPU seconds of this process. The
//    progress cadence is wall-clock (10 s), so at speed the counts per media hour are far below
//    the real-time ones; the CPU figure is the one that scales with media played.
// 2. Real-time playback for BENCH_PLAYBACK_SECONDS (default 30, at least 20), extrapolated to
//    one hour: queue writes, requests, and CPU as a share of the media's duration.
// Needs mpv; without it the figures are not measured (and not shown).
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { openServer, type MediaItem, type MediaServer } from '../src/servers/index.js';
import { Player } from '../src/player/index.js';
import { PlaybackSession } from '../src/session/playback-session.js';
import { AtomicTextFile } from '../src/sync/atomic-json-file.js';
import { Outbox } from '../src/sync/outbox.js';
import { emptyQueue, type QueueData } from '../src/sync/op.js';
import { report } from './report.js';
import { DEVICE_ID, startDemoProcess, type DemoProcess, type Kind } from './servers.js';

interface Counts {
  writes: number;
  /** When each write began (performance.now()). */
  writeTimes: number[];
}

/** Events a second apart or more, as a count per hour: from the first to the last of them, so a window's edges do not quantise it. */
function perHourOf(times: readonly number[], unitMs: number): number {
  if (times.length < 2) return Number.POSITIVE_INFINITY;
  return Math.round(((times.length - 1) / ((times.at(-1)! - times[0]!) / unitMs)) * 3600);
}

/** Requests for the media itself (mpv's reads through the proxy, subtitles), not counted as watch-state requests. */
const MEDIA = /^\/(Videos|Audio)\/|^\/library\/(parts|streams)\/|\/Subtitles\//i;

async function stateRequests(server: DemoProcess): Promise<Array<{ path: string; at: number }>> {
  return (await server.requests()).filter((entry) => !MEDIA.test(entry.path));
}

/** The first film of the server's first library. */
async function firstFilm(server: MediaServer): Promise<MediaItem> {
  const views = await server.library.userViews();
  for (const view of views) {
    const page = await server.library.items({ parentId: view.id, limit: 1, includeItemTypes: ['Movie'] });
    if (page.items[0] !== undefined) return page.items[0];
  }
  throw new Error('no film on the demo server');
}

/** Plays the film once from the start at `speed` for at most `seconds` of wall time; counts queue writes. */
async function playOnce(server: MediaServer, item: MediaItem, dir: string, speed: number, counts: Counts, seconds?: number): Promise<void> {
  const file = new AtomicTextFile(join(dir, 'queue.json'));
  const db = new Low<QueueData>({ read: async () => null, write: async (data) => { counts.writes += 1; counts.writeTimes.push(performance.now()); await file.write(JSON.stringify(data)); } }, emptyQueue());
  const outbox = new Outbox({ db, deliver: server.deliver });
  const plan = await server.preparePlay([item]);
  const entry = plan.entries[0]!;
  const startClearsPlayed = server.rules.startClearsPlayed();
  const session = new PlaybackSession({
    rules: server.rules,
    item: { id: item.id, title: item.name, ...(entry.runtimeTicks ?? item.runtimeTicks ? { runtimeTicks: entry.runtimeTicks ?? item.runtimeTicks } : {}), positionTicks: 0, played: false },
    outbox,
    mediaSourceId: entry.mediaSourceId,
    ...(entry.playSessionId ? { playSessionId: entry.playSessionId } : {}),
    ...(startClearsPlayed !== undefined ? { startClearsPlayed } : {}),
  });
  const player = await Player.launch({ url: entry.url, title: item.name, httpHeaders: plan.httpHeaders, extraArgs: ['--vo=null', '--ao=null', `--speed=${speed}`], tickIntervalMs: 1000 });
  session.start(0);
  player.subscribe((event) => session.handle(event));
  const timer = seconds === undefined ? undefined : setTimeout(() => void player.stop(), seconds * 1000);
  await session.ended;
  clearTimeout(timer);
  await session.settle(10_000);
  await outbox.close();
}

async function playbackFor(kind: Kind): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'reelterm-bench-'));
  const demo = await startDemoProcess(kind, 0);
  try {
    const server = openServer(kind, { serverUrl: demo.url, deviceId: DEVICE_ID, deviceName: hostname(), clientVersion: '0.1.0', timeoutMs: 10_000, insecure: false, token: demo.token, userId: demo.userId });
    const item = await firstFilm(server);

    await demo.clear();
    const fast: Counts = { writes: 0, writeTimes: [] };
    let cpu = process.cpuUsage();
    for (let i = 0; i < 6; i++) await playOnce(server, item, dir, 100, fast);
    cpu = process.cpuUsage(cpu);
    const fastRequests = (await stateRequests(demo)).length;
    const fastCpu = (cpu.user + cpu.system) / 1e6;
    const at100 = `one hour of media at mpv --speed=100 (the 600 s clip six times), ${kind === 'plex' ? 'Plex' : 'Jellyfin'}`;
    report({ name: `playback.${kind}.hour_at_speed100.queue_writes`, label: `${at100}: queue file writes`, value: fast.writes, unit: 'writes', target: '≤ 720', met: fast.writes <= 720 });
    report({ name: `playback.${kind}.hour_at_speed100.requests`, label: `${at100}: watch-state requests the server received`, value: fastRequests, unit: 'requests', target: '≤ 360 + events', met: fastRequests <= 380 });
    report({
      name: `playback.${kind}.hour_at_speed100.cpu`,
      label: `${at100}: CPU of the client (session, outbox, deliverer, stream proxy)`,
      value: fastCpu,
      unit: 's',
      target: '≤ 36 s (1 % of 3600 s)',
      met: fastCpu <= 36,
      note: 'CPU time, which load barely changes',
    });

    // Steady state: counted from 5 s in to 1 s before the stop, so one start and one stop
    // are not multiplied by the extrapolation.
    const seconds = Math.max(20, Number(process.env.BENCH_PLAYBACK_SECONDS ?? '30'));
    const live: Counts = { writes: 0, writeTimes: [] };
    const samples: Array<{ writes: number; at: number; cpu: NodeJS.CpuUsage; journal: Array<{ path: string; at: number }> }> = [];
    const sample = async () => samples.push({ writes: live.writes, at: performance.now(), cpu: process.cpuUsage(), journal: await stateRequests(demo) });
    await demo.clear();
    const first = setTimeout(() => void sample(), 5000);
    const last = setTimeout(() => void sample(), (seconds - 1) * 1000);
    await playOnce(server, item, dir, 1, live, seconds);
    clearTimeout(first);
    clearTimeout(last);
    const [from, to] = samples as [(typeof samples)[number], (typeof samples)[number]];
    const wall = (to.at - from.at) / 1000;
    // Writes come every 5 s and requests every 10 s: measured by the interval between them in
    // the window rather than counted in it. (The requests' times are the server's clock.)
    const writes = perHourOf(live.writeTimes.filter((t) => t >= from.at && t <= to.at), 1000);
    if (process.env.BENCH_VERBOSE) console.log(`  queue writes at ${live.writeTimes.map((t) => ((t - live.writeTimes[0]!) / 1000).toFixed(1)).join(" ")} s`);
    const requests = perHourOf(to.journal.slice(from.journal.length).map((entry) => entry.at), 1000);
    const cpuSeconds = (to.cpu.user - from.cpu.user + to.cpu.system - from.cpu.system) / 1e6;
    const share = (cpuSeconds / wall) * 100;
    const realTime = `real-time playback (${Math.round(wall)} s window) extrapolated to an hour, ${kind === 'plex' ? 'Plex' : 'Jellyfin'}`;
    report({ name: `playback.${kind}.realtime_per_hour.queue_writes`, label: `${realTime}: queue file writes`, value: writes, unit: 'writes', target: '≤ 720', met: writes <= 720 });
    report({ name: `playback.${kind}.realtime_per_hour.requests`, label: `${realTime}: watch-state requests the server received`, value: requests, unit: 'requests', target: '≤ 360', met: requests <= 360 });
    report({ name: `playback.${kind}.realtime.cpu_share`, label: `${realTime}: CPU of the client as a share of the media's time`, value: share, unit: '%', target: '≤ 1 %', met: share <= 1, note: 'CPU time, which load barely changes' });
  } finally {
    await demo.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchPlayback(kinds: readonly Kind[] = ['jellyfin', 'plex']): Promise<void> {
  for (const kind of kinds) await playbackFor(kind);
}
