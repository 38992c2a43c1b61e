// Playback benchmark (issue #4): real mpv playing the demo clip, the real session, outbox and
// queue file, and the demo server in its own process. Prints `name: value unit (target …)`.
// 1. One hour of media (the 600 s clip six times) at --speed=100: queue writes, requests and
//    CPU seconds of this process. The progress cadence is wall-clock (10 s), so at speed the
//    counts per media hour are far below the real-time ones; the CPU figure is the one that
//    scales with media played.
// 2. Real-time playback for BENCH_PLAYBACK_SECONDS (default 60), extrapolated to one hour:
//    queue writes, requests, and CPU as a share of the media's duration.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JellyfinClient } from '../src/servers/jellyfin/client.js';
import { Player } from '../src/player/index.js';
import { PlaybackSession } from '../src/session/playback-session.js';
import { AtomicTextFile } from '../src/sync/atomic-json-file.js';
import { JellyfinDeliver } from '../src/servers/jellyfin/deliver.js';
import { Outbox } from '../src/sync/outbox.js';
import { emptyQueue, TICKS_PER_SECOND, type QueueData } from '../src/sync/op.js';
import { demoServerProcess } from './outbox.js';
import { report } from './report.js';
import { JELLYFIN_RESUME } from '../src/servers/jellyfin/replay-rules.js';

interface Counts {
  writes: number;
  requests: number;
  /** When each request went out (performance.now()). */
  requestTimes?: number[];
}

/** Plays the clip once from the start at `speed` for at most `seconds` of wall time; counts writes and requests. */
async function playOnce(client: JellyfinClient, itemId: string, dir: string, speed: number, counts: Counts, seconds?: number): Promise<void> {
  const file = new AtomicTextFile(join(dir, 'queue.json'));
  const db = new Low<QueueData>({ read: async () => null, write: async (data) => { counts.writes += 1; await file.write(JSON.stringify(data)); } }, emptyQueue());
  const deliver = new JellyfinDeliver(client);
  const outbox = new Outbox({
    db,
    deliver: {
      send: (op, context) => { counts.requests += 1; counts.requestTimes?.push(performance.now()); return deliver.send(op, context); },
      probe: (signal) => { counts.requests += 1; counts.requestTimes?.push(performance.now()); return deliver.probe(signal); },
    },
  });
  const source = await client.playbackInfo(itemId);
  const session = new PlaybackSession({ rules: JELLYFIN_RESUME, item: { id: itemId, title: 'Bench', runtimeTicks: 600 * TICKS_PER_SECOND, positionTicks: 0, played: false }, outbox, mediaSourceId: source.mediaSourceId });
  const player = await Player.launch({
    url: client.streamUrl(itemId, source.mediaSourceId),
    title: 'Bench',
    httpHeaders: [`Authorization: ${client.authorizationHeader()}`],
    extraArgs: ['--vo=null', '--ao=null', `--speed=${speed}`],
  });
  session.start(0);
  player.subscribe((event) => session.handle(event));
  const timer = seconds === undefined ? undefined : setTimeout(() => void player.stop(), seconds * 1000);
  await session.ended;
  clearTimeout(timer);
  await session.settle(10_000);
  await outbox.close();
}

export async function benchPlayback(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'reelterm-bench-'));
  const server = await demoServerProcess(0);
  try {
    const client = new JellyfinClient({ serverUrl: server.url, deviceId: 'bench', deviceName: 'bench', clientVersion: '0.1.0' });
    await client.authenticateByName('bench', 'bench');
    const itemId = server.itemIds[0]!;

    const fast: Counts = { writes: 0, requests: 0 };
    let cpu = process.cpuUsage();
    for (let i = 0; i < 6; i++) await playOnce(client, itemId, dir, 100, fast);
    cpu = process.cpuUsage(cpu);
    const fastCpu = (cpu.user + cpu.system) / 1e6;
    report('playback.hour_at_speed100.queue_writes', fast.writes, 'writes', '≤ 720', fast.writes <= 720);
    report('playback.hour_at_speed100.requests', fast.requests, 'requests', '≤ 360 + events', fast.requests <= 380);
    report('playback.hour_at_speed100.cpu', fastCpu, 's', '≤ 36 (1 % of 3600 s)', fastCpu <= 36);

    // Steady state: counted from 5 s in to 1 s before the stop, so one start and one stop
    // are not multiplied by the extrapolation.
    const seconds = Math.max(20, Number(process.env.BENCH_PLAYBACK_SECONDS ?? '60'));
    const live: Counts = { writes: 0, requests: 0, requestTimes: [] };
    const samples: Array<Counts & { at: number; cpu: NodeJS.CpuUsage }> = [];
    const sample = () => samples.push({ ...live, at: performance.now(), cpu: process.cpuUsage() });
    const first = setTimeout(sample, 5000);
    const last = setTimeout(sample, (seconds - 1) * 1000);
    await playOnce(client, itemId, dir, 1, live, seconds);
    clearTimeout(first);
    clearTimeout(last);
    const [from, to] = samples as [Counts & { at: number; cpu: NodeJS.CpuUsage }, Counts & { at: number; cpu: NodeJS.CpuUsage }];
    const wall = (to.at - from.at) / 1000;
    const perHour = 3600 / wall;
    const writes = Math.round((to.writes - from.writes) * perHour);
    // Requests come every 10 s: measure the interval between them rather than count a window.
    const steady = live.requestTimes!.filter((t) => t >= from.at && t <= to.at);
    const requests = steady.length < 2 ? Infinity : Math.round(((steady.length - 1) / ((steady.at(-1)! - steady[0]!) / 1000)) * 3600);
    const cpuSeconds = (to.cpu.user - from.cpu.user + to.cpu.system - from.cpu.system) / 1e6;
    const share = (cpuSeconds / wall) * 100;
    report('playback.realtime_per_hour.queue_writes', writes, 'writes', '≤ 720', writes <= 720);
    report('playback.realtime_per_hour.requests', requests, 'requests', '≤ 360', requests <= 360);
    report('playback.realtime.cpu_share', share, '% of media time', '≤ 1 %', share <= 1);
  } finally {
    server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
