import { newestSeen } from '../../src/sync/seen.js';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { seededRandom } from '../../src/servers/demo-kit/random.js';
import type { PlexItem, PlexJournalEntry, WatchState as DemoWatch } from '../../src/servers/plex/demo/index.js';
import { watchStateOf } from '../../src/servers/plex/mappers.js';
import { PlaybackSession, type PlayerEvent } from '../../src/session/playback-session.js';
import type { Op } from '../../src/sync/op.js';
import { FaultProxy, type ProxyMode } from '../helpers/fault-proxy.js';
import { MovableClock } from '../helpers/movable-clock.js';
import { tempDir } from '../helpers/temp-home.js';
import { eventually } from '../helpers/wait.js';
import { usePlexDemo } from '../plex-demo/helpers.js';
import { afterKilledPlayback, afterMark, afterPlayback, FLOOR_MS, Ledger, RUNTIME_S, sameHeld, showHeld, THRESHOLD_MS, type Held } from './model.js';
import { Reelterm } from './reelterm.js';

// The fault soak against the demo Plex server (issue 18's first proof), shaped like the Jellyfin
// one (test/reliability/soak.test.ts): a scripted user (PlaybackSession and the real outbox, no
// TUI, no mpv: the player events are what mpv would send) acts on 60 films while faults cycle —
// a TCP proxy between reelterm and the server refuses connections, resets them after the server
// has answered (it acted, the answer is lost) and stalls them past the request timeout; the server
// answers 503 "Maintenance" XML bursts, cuts its own answers after acting, and revokes every token
// (the user signs in again with the new one); and reelterm is killed (kill -9: the queue file as it
// was on disk at that instant, requests in flight cut off, the playback abandoned; a new run with a
// new client and deliverer opens the same queue file).
//
// The user plays (start, progress ticks, pauses, seeks, a stop, q, an mpv crash or the end of the
// file): playbacks that end at or under a minute, in the middle, past the 90 % threshold (crossing
// it live, by a seek or by ticks), re-watches of watched films, and playbacks whose whole sitting
// happens while the server cannot be reached (then this machine's and the server's clocks move on
// three minutes: those updates are late when they go). The user also presses `w` (once, or two or
// three times quickly), queued as src/commands/services.ts `setWatched` queues it. Per film the
// soak keeps what Plex must end with (./model.ts): the last action's resume point, viewCount
// raised exactly once per watch, cleared by an unmark. A playback gives its session the film's
// state as reelterm shows it (its own updates included) and, as `seen`, what the listing the user
// played from said: read after each start of reelterm and before each action while the server can
// be reached, so it may not have reelterm's own queued updates yet. Left out on purpose: a playback
// that crosses the threshold and then seeks back below it (Plex counts the crossing, the session
// decides watched from the final position only: the rules disagree), and one that goes past a
// minute and ends under it (which of its reports got out decides what Plex keeps).
//
// Checkpoints (every 100 actions, and at the end) turn the faults off, let the queue drain, and
// compare every film with the server, look for "Now Playing" sessions left open and for dead
// letters. A film whose playback a kill cut short is allowed any state those reports could leave,
// then taken as the server has it; a Now Playing session left open by a kill is allowed when no
// report of that playback reached the server after the kill (nothing could close it; a real server
// times it out). A failure prints each wrong film's story (the user's actions, the faults around
// them, the updates a kill found queued) and the server's journal for it, and the seed; the whole
// report goes to a file in the temp folder.
//
// CI: 300 actions (PLEX_SOAK_ACTIONS), seed 18; PLEX_SOAK_MINUTES=10 keeps going for ten minutes
// (a random seed unless PLEX_SOAK_SEED), with 30 s stalls; PLEX_SOAK_CLOCK_MINUTES runs the
// server's clock that far ahead of this machine's.

const MINUTES = Number(process.env.PLEX_SOAK_MINUTES ?? 0);
const ACTIONS = Number(process.env.PLEX_SOAK_ACTIONS ?? 300);
const SEED = Number(process.env.PLEX_SOAK_SEED ?? (MINUTES > 0 ? Math.floor(Math.random() * 2 ** 31) : 18));
const SKEW_MS = Number(process.env.PLEX_SOAK_CLOCK_MINUTES ?? 0) * 60_000;
/**
 * Which faults cycle (default all): a comma list of refuse, reset, 503, stall, token, kill,
 * server-reset, quiet, offline (offline playbacks), kill-playing (kills during a playback). For
 * telling which fault a failure needs; CI runs them all.
 */
const ONLY = process.env.PLEX_SOAK_FAULTS?.split(',').map((key) => key.trim());
const wanted = (key: string) => ONLY === undefined || ONLY.includes(key);
const FILMS = 60;
const CHECK_EVERY = 100;
/** reelterm's request timeout here (a stall outlasts it). */
const TIMEOUT_MS = 1000;
/** A hung server holds a request 30 s in the long run; scaled down for CI. */
const STALL_MS = MINUTES > 0 ? 30_000 : 2500;
const TICKS_PER_MS = 10_000;
const TICKS_PER_SECOND = 10_000_000;
/** How long the user is away with an offline playback: its updates are late (past a minute) when they go. */
const OFFLINE_FOR_MS = 180_000;

const demo = usePlexDemo({ library: { films: 80, shows: 0 }, journalLimit: 2_000_000 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One step of a playback, as mpv would report it (`settle`: the user watches a while, so the reports so far go out live). */
type Step = { type: 'tick' | 'pause' | 'resume' | 'seek'; s: number } | { type: 'settle' };
type Shape = 'short' | 'middle' | 'cross' | 'rewatch';
interface Plan {
  start: number;
  steps: Step[];
  end: { reason: 'stop' | 'quit' | 'crash' | 'eof'; s: number };
}

/** A playback the soak made, for telling a session a kill left open from one left open by a late report. */
/** How long after a kill a request the killed run had in flight may still reach the server. */
const IN_FLIGHT_AT_KILL_MS = 1000;

interface Sitting {
  id: string;
  itemId: string;
  run: number;
  /** When reelterm was killed during it (this machine's ms). */
  killedAt?: number;
}

interface Failure {
  where: string;
  itemId?: string;
  summary: string;
  detail: string;
}

const held = (state: DemoWatch): Held => ({ viewCount: state.viewCount ?? 0, viewOffset: state.viewOffset });

describe('the Plex fault soak', () => {
  it(`${MINUTES > 0 ? `${MINUTES} minutes` : `${ACTIONS} actions`} on ${FILMS} films through cycling faults and kills: the server ends with every last action, each watch counted once`, async () => {
    const server = demo();
    const { proxy, url } = await FaultProxy.start(server.url);
    onTestFinished(() => proxy.close());
    // This machine's clock (the engine's and the client's) and the server's move on together when the user is away.
    const clock = new MovableClock();
    const setShift = (shift: number) => {
      clock.shift = shift;
      server.faults.clock(shift + SKEW_MS);
    };
    setShift(0);
    const dir = await tempDir('reelterm-plex-soak-');
    const app = new Reelterm(server, url, dir, clock, TIMEOUT_MS);
    await app.start();
    onTestFinished(() => app.close());

    const random = seededRandom(SEED);
    const int = (below: number) => Math.floor(random() * below);
    const t0 = Date.now();
    const elapsed = (at = Date.now()) => `+${((at - t0) / 1000).toFixed(2)} s`;

    // The proxy's mode; a fault for a while ends only if nothing set another mode since.
    let proxyEpoch = 0;
    const setProxy = (mode: ProxyMode) => {
      proxyEpoch += 1;
      proxy.mode = mode;
    };
    const proxyFor = (mode: ProxyMode, ms: number) => {
      setProxy(mode);
      const epoch = proxyEpoch;
      setTimeout(() => {
        if (proxyEpoch === epoch) setProxy('pass');
      }, ms).unref();
    };
    let tokensRevoked = false;
    const faultsNow = () => {
      const snapshot = server.faults.snapshot();
      const parts = [proxy.mode === 'pass' ? '' : `proxy ${proxy.mode}`];
      if (snapshot.status) parts.push(`${snapshot.status.code}${snapshot.status.remaining !== undefined ? ` ×${snapshot.status.remaining} left` : ''}`);
      if (snapshot.reset) parts.push(`server resets ×${snapshot.reset.remaining ?? '∞'} left`);
      if (tokensRevoked) parts.push('token revoked');
      return parts.filter(Boolean).join(', ');
    };
    const ledger = new Ledger(() => {
      const faults = faultsNow();
      return `[${elapsed()} run ${app.run.n}${clock.shift ? `, clock +${Math.round(clock.shift / 1000)} s` : ''}${faults ? `; ${faults}` : ''}]`;
    });
    /** Events not of one film (faults, kills, sign-ins, checkpoints), for the report. */
    const events: string[] = [];
    const event = (line: string) => events.push(`${elapsed()} run ${app.run.n}: ${line}`);

    const films = [...server.library.all()].filter((item) => item.type === 'movie').slice(0, FILMS);
    const byId = new Map(films.map((film) => [film.ratingKey, film]));
    /**
     * What reelterm's listing last read of each film: the app plays from a listing (its `seen`). The
     * user browses after each start of reelterm and before each action while the server can be
     * reached; an offline playback plays from what was read last.
     */
    const listing = new Map<string, { state: DemoWatch; at: number }>();
    const readListing = (film: PlexItem) => {
      const read = { state: { ...server.state.watch(film.ratingKey) }, at: clock.now() };
      listing.set(film.ratingKey, read);
      return read;
    };
    /** A run started and has not browsed yet. */
    let browsed = false;
    let offlineNow = false;
    const browse = () => {
      if (browsed || offlineNow) return;
      for (const film of films) readListing(film);
      browsed = true;
    };
    browse();

    const sittings: Sitting[] = [];
    const failures: Failure[] = [];
    const counts = { kills: 0, killedPlaybacks: 0, offlinePlaybacks: 0, playbacks: 0, marks: 0, signIns: 0, faults: 0, checkpoints: 0 };

    const signIn = (why: string) => {
      app.signIn();
      tokensRevoked = false;
      counts.signIns += 1;
      event(`the user signs in again (${why})`);
    };

    /** kill -9 of reelterm, then a start on the same queue file; the story of each film with updates in memory or on disk says so. */
    const kill = async (why: string) => {
      const inMemory = app.run.outbox.pendingOps();
      const { left } = await app.kill();
      browsed = false;
      counts.kills += 1;
      event(`KILL (${why}): ${inMemory.length} updates queued in memory, ${left} on disk; run ${app.run.n} starts`);
      const onDisk = new Set<string>();
      try {
        for (const op of (JSON.parse(readFileSync(app.queueFile, 'utf8')) as { ops: Op[] }).ops) onDisk.add(op.id);
      } catch {
        // No queue file yet.
      }
      const byItem = new Map<string, Op[]>();
      for (const op of inMemory) byItem.set(op.itemId, [...(byItem.get(op.itemId) ?? []), op]);
      for (const [itemId, ops] of byItem) {
        ledger.note(itemId, `KILL (${why}); queued then: ${ops.map((op) => `${describeOp(op)}${onDisk.has(op.id) ? '' : ' (not yet on disk: lost)'}`).join(', ')}`);
      }
    };

    const pool = () => films.filter((film) => !ledger.isTainted(film.ratingKey));
    /** What a film held before its first mark still queued (marks replace each other in the queue). */
    const markBase = new Map<string, Held>();
    const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;

    /** `w` on a film, as src/commands/services.ts `setWatched` queues it (no `seen` passed there). */
    const pressW = async (film: PlexItem, note = '') => {
      const before = ledger.expected(film.ratingKey);
      const played = before.viewCount === 0;
      // A mark still queued is replaced by this one (the queue keeps one watched-or-not state per item):
      // watched again, the film keeps its count, or counts one more view, or one if the unmark went first.
      const pending = app.run.outbox.pendingOps().some((op) => op.itemId === film.ratingKey && (op.kind === 'played' || op.kind === 'unplayed'));
      if (!pending) markBase.set(film.ratingKey, before);
      await app.run.outbox.enqueue({ itemId: film.ratingKey, kind: played ? 'played' : 'unplayed', title: film.title });
      const after = afterMark(before, played);
      ledger.set(film.ratingKey, after);
      const base = markBase.get(film.ratingKey);
      if (pending && played && base !== undefined && base.viewCount > 0) {
        ledger.taint(film.ratingKey, { viewCounts: [1, base.viewCount, base.viewCount + 1], viewOffsets: [undefined], why: 'a mark replaced one still queued' });
      } else if (pending && !played) {
        // Unwatched in the end, whichever marks went: nothing left.
        ledger.resolve(film.ratingKey, after);
      }
      ledger.note(film.ratingKey, `w → ${played ? 'watched' : 'unwatched'}${note} ⇒ expect ${showHeld(after)}`);
      counts.marks += 1;
    };

    /** The steps of one playback of a film whose server state is `before`. */
    const planFor = (shape: Shape, before: Held): Plan => {
      const resume = before.viewOffset === undefined ? undefined : before.viewOffset / 1000;
      const steps: Step[] = [];
      let at = 0;
      const tick = (to: number) => {
        at = to;
        steps.push({ type: 'tick', s: at });
      };
      const seek = (to: number) => {
        at = to;
        steps.push({ type: 'seek', s: at });
      };
      const ticks = (n: number, cap: number) => {
        for (let i = 0; i < n && at < cap; i++) tick(Math.min(cap, at + 1 + int(5)));
      };
      const maybePause = () => {
        if (random() < 0.3) steps.push({ type: 'pause', s: at }, { type: 'resume', s: at });
      };
      const stopReason = (): 'stop' | 'quit' | 'crash' => pick(['stop', 'stop', 'quit', 'crash'] as const);
      switch (shape) {
        case 'short': {
          // Never past a minute: the server keeps what it had.
          const start = int(41);
          at = start;
          ticks(int(5), 60);
          maybePause();
          if (random() < 0.4) seek(int(61));
          return { start, steps, end: { reason: stopReason(), s: at } };
        }
        case 'middle': {
          const start = resume !== undefined && random() < 0.4 ? Math.min(resume, 500) : int(501);
          at = start;
          ticks(1 + int(4), 535);
          maybePause();
          if (random() < 0.5) seek(int(536));
          if (at <= 60) seek(61 + int(475));
          return { start, steps, end: { reason: stopReason(), s: at } };
        }
        case 'cross':
        case 'rewatch': {
          const r = random();
          // From 0 (a report there does not arm the server's crossing), from the first minute, from the resume point, or further on.
          const start = r < 0.1 ? 0 : r < 0.3 ? 1 + int(60) : resume !== undefined && r < 0.5 ? Math.min(resume, 530) : 61 + int(470);
          at = start;
          ticks(int(4), 535);
          maybePause();
          // Now and then the user watches a while: the reports so far go out live, so the crossing is a live one.
          if (random() < 0.5) steps.push({ type: 'settle' });
          const how = random();
          if (how < 0.45) {
            // A seek past the threshold, a tick or two, then a stop.
            seek(540 + int(59));
            for (let i = int(3); i > 0; i--) tick(Math.min(599, at + 1));
            return { start, steps, end: { reason: stopReason(), s: at } };
          }
          if (how < 0.75) {
            // Playing across it, tick by tick.
            seek(530 + int(8));
            while (at < 540) tick(at + 2 + int(2));
            return { start, steps, end: { reason: pick(['stop', 'quit'] as const), s: at } };
          }
          // Into the credits and to the end of the file.
          seek(560 + int(36));
          return { start, steps, end: { reason: 'eof', s: at } };
        }
      }
    };

    const stepText = (step: Step) => (step.type === 'settle' ? 'watches a while' : `${step.type} ${step.s}`);

    /**
     * One playback: a PlaybackSession on the running reelterm's outbox. Offline: the whole
     * sitting happens while the server cannot be reached, then the clocks move on. `kill`:
     * reelterm is killed before one of its steps (the playback is abandoned there).
     */
    const play = async (film: PlexItem, shape: Shape, options: { offline: boolean; kill: boolean }) => {
      const id = film.ratingKey;
      const before = ledger.expected(id);
      const stamp = ledger.stamp();
      const plan = planFor(shape, before);
      // (where in the playback a kill comes: before any of its steps, or just before its end)
      const killAt = options.kill ? int(plan.steps.length + 1) : undefined;
      browse();
      const listed = options.offline ? listing.get(id)! : readListing(film);
      const playSessionId = randomUUID();
      const sitting: Sitting = { id: playSessionId, itemId: id, run: app.run.n };
      sittings.push(sitting);
      const { server: media, outbox } = app.run;
      const clears = media.rules.startClearsPlayed();
      // As src/commands/services.ts `seenOf` gives it: the listing, or what reelterm's own updates left since, whichever is newer.
      const seen = newestSeen(media.deliver.seen?.(id), media.rules.seenFrom(watchStateOf({ ...listed.state, type: 'movie', duration: RUNTIME_S * 1000 }, listed.at), listed.at));
      const session = new PlaybackSession({
        item: {
          id,
          title: film.title,
          runtimeTicks: RUNTIME_S * TICKS_PER_SECOND,
          positionTicks: (before.viewOffset ?? 0) * TICKS_PER_MS,
          played: before.viewCount > 0,
          ...(seen !== undefined ? { seen } : {}),
        },
        rules: media.rules,
        outbox,
        playSessionId,
        mediaSourceId: String(film.partId),
        ...(clears !== undefined ? { startClearsPlayed: clears } : {}),
      });
      const label = `play ${shape}${options.offline ? ' OFFLINE' : ''} (session ${playSessionId.slice(0, 8)}, listing viewCount ${listed.state.viewCount ?? 0})`;
      const reported = [plan.start * 1000];
      const done: string[] = [`start ${plan.start}`];
      session.start(plan.start);
      for (let index = 0; index <= plan.steps.length; index++) {
        if (killAt === index) {
          if (random() < 0.7) await sleep(int(40));
          const plausible = afterKilledPlayback(before, reported);
          sitting.killedAt = Date.now();
          ledger.note(id, `${label}: ${done.join(', ')}, then reelterm is KILLED ⇒ allow viewCount ${plausible.viewCounts.join(' or ')}, viewOffset ${plausible.viewOffsets.map((ms) => (ms === undefined ? 'none' : `${ms / 1000} s`)).join(' or ')}`, stamp);
          ledger.taint(id, plausible);
          counts.killedPlaybacks += 1;
          await kill(`during a playback of ${id}`);
          return;
        }
        const step = plan.steps[index];
        if (step === undefined) break;
        done.push(stepText(step));
        if (step.type === 'settle') {
          if (!options.offline) await outbox.settle({ itemId: id, timeoutMs: 300 });
          continue;
        }
        reported.push(step.s * 1000);
        const event: PlayerEvent =
          step.type === 'tick' ? { type: 'tick', positionSeconds: step.s, durationSeconds: RUNTIME_S, paused: false } : { type: step.type, positionSeconds: step.s };
        session.handle(event);
        if (random() < 0.3) await sleep(1 + int(20));
      }
      const end = plan.end;
      session.handle({ type: 'end', reason: end.reason, positionSeconds: end.reason === 'eof' ? RUNTIME_S - 0.04 : end.s, durationSeconds: RUNTIME_S });
      await session.ended;
      const finalMs = end.reason === 'eof' ? RUNTIME_S * 1000 : end.s * 1000;
      const after = afterPlayback(before, finalMs);
      ledger.set(id, after);
      const verdict = finalMs >= THRESHOLD_MS ? 'a watch' : finalMs > FLOOR_MS ? 'a resume point' : 'under a minute: nothing kept';
      ledger.note(id, `${label}: ${done.join(', ')}, ${end.reason} at ${finalMs / 1000} (${verdict}) ⇒ expect ${showHeld(after)}`, stamp);
      counts.playbacks += 1;
    };

    /** The whole sitting while the server cannot be reached; then the user is away a while (both clocks move on). */
    const offline = async (run: () => Promise<void>) => {
      setProxy('refuse');
      offlineNow = true;
      const epoch = proxyEpoch;
      // (the server shares this event loop: a turn of it, and what it had received is applied before the clocks move)
      await sleep(20);
      setShift(clock.shift + 5000);
      await run();
      setShift(clock.shift + OFFLINE_FOR_MS);
      counts.offlinePlaybacks += 1;
      offlineNow = false;
      if (proxyEpoch === epoch) setProxy('pass');
    };

    const ALL_FAULTS: Array<[string, string, () => Promise<void>]> = [
      ['refuse', 'refused connections', async () => proxyFor('refuse', 300)],
      ['reset', 'connections reset after the server answered (the answers are lost)', async () => proxyFor('reset', 150)],
      ['503', 'a 503 Maintenance burst', async () => server.faults.maintenance({ times: 5 })],
      ['stall', 'a stall past the request timeout', async () => proxyFor('stall', STALL_MS)],
      [
        'token',
        'a token expiry',
        async () => {
          server.faults.expireTokens();
          tokensRevoked = true;
          // The next update meets the revoked token: the queue pauses for a sign-in (the footer says so).
          await pressW(pick(pool()), ' (the first update after the token expired)');
          app.run.outbox.retryNow();
          try {
            await eventually(() => expect(app.run.outbox.status().state).toBe('auth'), 15_000);
          } catch {
            fail('a token expiry', `the queue did not pause for a sign-in within 15 s of meeting the revoked token (its state: ${app.run.outbox.status().state})`);
          }
          signIn('the footer said signed out');
        },
      ],
      [
        'kill',
        'a kill of reelterm',
        async () => {
          await sleep(int(150));
          await kill('between actions');
        },
      ],
      ['server-reset', 'answers cut by the server after it acted', async () => server.faults.resetMidResponse(3)],
      ['quiet', 'a quiet moment', async () => undefined],
    ];
    const FAULTS = ALL_FAULTS.filter(([key]) => ONLY === undefined || ONLY.includes(key)).map(([, name, fault]) => [name, fault] as const);
    if (FAULTS.length === 0) FAULTS.push(['a quiet moment', async () => undefined]);

    /** Journal lines for one film, on the same time line as the stories. */
    const journalOf = (itemId: string) =>
      server.journal
        .filter((entry) => entry.half === 'pms' && (entry.query.ratingKey === itemId || entry.query.key === itemId || entry.path === `/library/metadata/${itemId}`))
        .map((entry) => journalLine(entry, elapsed(entry.time.getTime())));

    const fail = (where: string, summary: string, itemId?: string) => {
      const lines = [`${where}: ${summary}`];
      if (itemId !== undefined) {
        lines.push(`  film ${itemId} "${byId.get(itemId)?.title}" — the user's actions:`, ...ledger.story(itemId).map((line) => `    ${line}`));
        lines.push('  the server received:', ...journalOf(itemId).map((line) => `    ${line}`));
        const pending = app.run.outbox.pendingOps().filter((op) => op.itemId === itemId);
        const dead = app.run.outbox.deadLetters().filter((letter) => letter.op.itemId === itemId);
        if (pending.length > 0) lines.push(`  still queued: ${pending.map(describeOp).join(', ')}`);
        if (dead.length > 0) lines.push(`  dead letters: ${dead.map((letter) => `${describeOp(letter.op)} ${letter.reason}: ${letter.error}`).join('; ')}`);
      }
      failures.push({ where, summary, detail: lines.join('\n'), ...(itemId !== undefined ? { itemId } : {}) });
    };

    const reportedSessions = new Set<string>();
    const reportedDead = new Set<string>();

    /** Faults off, the queue drained, then every film, session and dead letter checked. */
    const checkpoint = async (where: string) => {
      counts.checkpoints += 1;
      setProxy('pass');
      await server.faults.clear();
      event(`checkpoint ${where}: faults off, draining`);
      app.run.outbox.retryNow();
      try {
        await eventually(async () => {
          if (app.run.outbox.status().state === 'auth') signIn('at a checkpoint');
          const result = await app.run.outbox.settle({ timeoutMs: 2000 });
          if (app.run.outbox.status().state === 'offline' || app.run.outbox.status().state === 'retrying') app.run.outbox.retryNow();
          expect(result).toMatchObject({ settled: true, pending: 0 });
        }, 60_000);
      } catch {
        fail(where, `the queue did not drain in 60 s with the faults off; still queued: ${app.run.outbox.pendingOps().map((op) => `${op.itemId} ${describeOp(op)} (${op.lastError ?? ''})`).join(', ')}`);
      }
      for (const itemId of ledger.touched()) {
        const got = held(server.state.watch(itemId));
        const plausible = ledger.plausible(itemId);
        if (plausible !== undefined) {
          if (!plausible.viewCounts.includes(got.viewCount) || !plausible.viewOffsets.includes(got.viewOffset)) {
            fail(where, `film ${itemId}: the server holds ${showHeld(got)}; after the kill it may hold viewCount ${plausible.viewCounts.join(' or ')} with viewOffset ${plausible.viewOffsets.map((ms) => (ms === undefined ? 'none' : `${ms / 1000} s`)).join(' or ')}`, itemId);
          }
          ledger.resolve(itemId, got);
          ledger.note(itemId, `checkpoint ${where}: the server holds ${showHeld(got)} (taken as known from here)`);
          continue;
        }
        const want = ledger.expected(itemId);
        if (!sameHeld(want, got)) {
          fail(where, `film ${itemId}: want ${showHeld(want)}, the server holds ${showHeld(got)}`, itemId);
          // (judged from what the server holds from here, so one wrong step is reported once)
          ledger.set(itemId, got);
          ledger.note(itemId, `checkpoint ${where}: WRONG — wanted ${showHeld(want)}, the server holds ${showHeld(got)} (taken from here)`);
        } else {
          ledger.note(itemId, `checkpoint ${where}: ok (${showHeld(got)})`);
        }
      }
      // No "Now Playing" session left open, but one a kill left (reelterm could send nothing after it)
      for (const open of server.state.sessions()) {
        const key = `${open.sessionIdentifier}/${open.ratingKey}`;
        if (reportedSessions.has(key)) continue;
        const sitting = sittings.find((candidate) => candidate.id === open.sessionIdentifier);
        const afterKill =
          sitting?.killedAt === undefined
            ? []
            : // (a report in flight at the kill may still reach the server just after it: the killed run's, not the next one's)
              server.journal.filter((entry) => entry.sessionIdentifier === sitting.id && entry.path === '/:/timeline' && entry.time.getTime() > sitting.killedAt! + IN_FLIGHT_AT_KILL_MS && entry.status === 200);
        reportedSessions.add(key);
        if (sitting?.killedAt !== undefined && afterKill.length === 0) {
          event(`a Now Playing session of film ${open.ratingKey} is left open by the kill during it (no report of that playback reached the server after the kill; allowed)`);
          continue;
        }
        const why =
          sitting === undefined
            ? 'not one of the soak\'s playbacks'
            : sitting.killedAt !== undefined
              ? `its playback was cut by a kill, and after the kill the server got ${afterKill.map((entry) => `${entry.query.state}${entry.query.offline ? ' offline' : ''} at ${Number(entry.query.time) / 1000} s`).join(', ')}`
              : 'its playback ended with a stop';
        fail(where, `a phantom Now Playing session: film ${open.ratingKey} ${open.state} at ${open.time / 1000} s, session ${open.sessionIdentifier?.slice(0, 8)} (${why})`, open.ratingKey);
      }
      for (const letter of app.run.outbox.deadLetters()) {
        if (reportedDead.has(letter.op.id)) continue;
        reportedDead.add(letter.op.id);
        fail(where, `a dead letter: film ${letter.op.itemId} ${describeOp(letter.op)} ${letter.reason}: ${letter.error}`, letter.op.itemId);
      }
      event(`checkpoint ${where} done: ${failures.length} failures so far`);
    };

    // The user acts.
    const deadline = t0 + MINUTES * 60_000;
    let done = 0;
    let faultAt = 0;
    while (done < ACTIONS || Date.now() < deadline) {
      if (done > 0 && done % CHECK_EVERY === 0) await checkpoint(`after ${done} actions`);
      // A new fault every five actions (a playback is one action of several steps).
      if (done % 5 === 0) {
        setProxy('pass');
        await server.faults.clear();
        const [name, fault] = FAULTS[faultAt++ % FAULTS.length]!;
        counts.faults += 1;
        event(`fault: ${name}`);
        await fault();
      }
      // The footer says "Signed out" (a restart with the revoked token, say): the user signs in again.
      if (app.run.outbox.status().state === 'auth') signIn('the footer said signed out');
      // (the user browses first: after a start, the listing is read again)
      browse();
      const available = pool();
      const film = pick(available);
      const roll = random();
      if (roll < 0.1) {
        await pressW(film);
      } else if (roll < 0.14) {
        // `w` two or three times quickly (a change of mind). Marks still queued replace each other
        // (one state, watched or not): a watched film unwatched and watched again before the first
        // went out stays as it was on the server (its count kept), or counts one view if it went.
        const presses = 2 + int(2);
        for (let i = 0; i < presses; i++) await pressW(film, ` (press ${i + 1} of ${presses})`);
      } else {
        const shapeRoll = random();
        const watched = available.filter((candidate) => ledger.expected(candidate.ratingKey).viewCount > 0);
        const shape: Shape = shapeRoll < 0.18 ? 'short' : shapeRoll < 0.55 ? 'middle' : shapeRoll < 0.8 || watched.length === 0 ? 'cross' : 'rewatch';
        const target = shape === 'rewatch' ? pick(watched) : film;
        const kill = random() < 0.03 && wanted('kill-playing');
        const sit = (isOffline: boolean) => play(target, shape, { offline: isOffline, kill });
        if (random() < 0.15 && wanted('offline')) await offline(() => sit(true));
        else await sit(false);
      }
      done += 1;
      // A user acts every few tens of milliseconds at most: the faults meet deliveries in flight.
      if (done % 4 === 0) await sleep(10);
    }
    await checkpoint('at the end');

    // The faults were met: the engine went offline or retried, and waited for a sign-in
    const states = [...app.states].sort();
    const sanity = {
      actions: done,
      films: ledger.touched().length,
      faults: counts.faults,
      kills: counts.kills,
      killedPlaybacks: counts.killedPlaybacks,
      offlinePlaybacks: counts.offlinePlaybacks,
      signIns: counts.signIns,
      maintenance503s: server.journal.filter((entry) => entry.status === 503).length,
      liveCrossings: server.journal.filter((entry) => entry.outcome === 'watched').length,
      states,
    };
    const report = [
      `seed ${SEED} (PLEX_SOAK_SEED=${SEED}${MINUTES > 0 ? ` PLEX_SOAK_MINUTES=${MINUTES}` : ` PLEX_SOAK_ACTIONS=${ACTIONS}`}${SKEW_MS ? ` PLEX_SOAK_CLOCK_MINUTES=${SKEW_MS / 60_000}` : ''}), ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      JSON.stringify(sanity),
      '',
      `${failures.length} failures:`,
      ...failures.map((failure) => `- ${failure.where}: ${failure.summary}`),
      '',
      ...failures.map((failure) => failure.detail + '\n'),
      'events:',
      ...events,
    ].join('\n');
    if (failures.length > 0) {
      const file = join(tmpdir(), `plex-soak-seed-${SEED}-${Date.now()}.txt`);
      writeFileSync(file, report);
      console.log(`${report.slice(0, 60_000)}\n(the whole report: ${file})`);
    } else if (process.env.PLEX_SOAK_VERBOSE) {
      console.log(report);
    }

    expect(done).toBeGreaterThanOrEqual(ACTIONS);
    expect(sanity.films, `seed ${SEED}`).toBeGreaterThanOrEqual(50);
    expect(sanity.liveCrossings, `seed ${SEED}: some playbacks crossed the threshold live`).toBeGreaterThan(0);
    if (ONLY === undefined) {
      expect(sanity.kills, `seed ${SEED}`).toBeGreaterThanOrEqual(5);
      expect(sanity.offlinePlaybacks, `seed ${SEED}`).toBeGreaterThanOrEqual(5);
      expect(sanity.signIns, `seed ${SEED}`).toBeGreaterThanOrEqual(3);
      expect(sanity.maintenance503s, `seed ${SEED}`).toBeGreaterThan(0);
      expect(states, `seed ${SEED}`).toEqual(expect.arrayContaining(['auth', 'syncing']));
      expect(states.some((state) => state === 'offline' || state === 'retrying'), `seed ${SEED}: ${states.join(', ')}`).toBe(true);
    }
    // Every film holds what the user's last action left, each watch counted once; no session left
    // open, nothing dead-lettered (the details are printed above, with the seed)
    expect(failures.map((failure) => `${failure.where}: ${failure.summary}`), `seed ${SEED}; see the report printed above`).toEqual([]);
    expect(app.run.outbox.pendingOps()).toEqual([]);
    expect(app.run.outbox.deadLetters()).toEqual([]);
    expect(server.state.sessions().filter((open) => sittings.find((sitting) => sitting.id === open.sessionIdentifier)?.killedAt === undefined)).toEqual([]);
  }, Math.max(240_000, MINUTES * 60_000 + 240_000));
});

function describeOp(op: Op): string {
  const at = op.payload.positionTicks === undefined ? '' : ` ${op.payload.positionTicks / TICKS_PER_SECOND} s`;
  return `${op.kind}#${op.seq}${at}${op.payload.played ? ' played' : ''}${op.attempts > 0 ? ` (${op.attempts} attempts)` : ''}${op.unsure ? ' unsure' : ''}`;
}

function journalLine(entry: PlexJournalEntry, at: string): string {
  const q = entry.query;
  const what =
    entry.path === '/:/timeline'
      ? `timeline ${q.state} time=${Number(q.time) / 1000} s${q.offline ? ` offline=1 updated=${q.updated}` : ''}`
      : entry.path === '/:/scrobble' || entry.path === '/:/unscrobble'
        ? `${entry.method} ${entry.path}`
        : `${entry.method} ${entry.path}`;
  const session = entry.sessionIdentifier ? ` session ${entry.sessionIdentifier.slice(0, 8)}` : '';
  const answer = entry.status === undefined ? 'no answer' : String(entry.status);
  const fault = entry.fault ? ` (${entry.fault})` : '';
  const token = entry.account === undefined && entry.status === 401 ? ' (token refused)' : '';
  return `${at} ${what}${session} → ${answer}${fault}${token}${entry.outcome ? ` [${entry.outcome}]` : ''}`;
}
