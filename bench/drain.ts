// `reelterm sync` and `reelterm --pending` against references run in the same rounds:
// - sync of N fresh updates (half marks, half stops): seconds and peak RSS of the process, the
//   requests the server received per update, vs a plain `node:http` client (keep-alive, one
//   request at a time) sending the very requests reelterm sent (as the server recorded them);
// - sync of N updates queued 2 h ago (the replay path: the server's state is read before
//   writing), the same figures;
// - `--pending` with N queued vs `node -e 0`: seconds and peak RSS.
// Jellyfin and Plex, each against its demo server in its own process, a fresh one for every
// run (so each run meets the same server state). N is BENCH_UPDATES (default 10,000).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUEUE_VERSION, TICKS_PER_SECOND, type Op, type QueueData } from '../src/sync/op.js';
import { pendingFloor, plainClient, reeltermBin } from './bundles.js';
import { paired, rounds, timedRun } from './measure.js';
import { report, shown } from './report.js';
import { accountOf, plainHeaders, signedInHome, startDemoProcess, type DemoProcess, type Kind } from './servers.js';

const TWO_HOURS = 2 * 60 * 60 * 1000;

export function updateCount(): number {
  const value = Number(process.env.BENCH_UPDATES);
  return Number.isInteger(value) && value > 0 ? value : 10_000;
}

/** `n` as figure names and labels say it: 10k, 1k, 500. */
function short(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

/** A queue of `count` updates for the first `count` films of `server`, made `ageMs` ago: half marks, half stops at 200 s of 600 s. */
export function queueOf(server: Pick<DemoProcess, 'kind' | 'url' | 'itemIds' | 'userId' | 'userName' | 'serverId'>, count: number, ageMs: number): QueueData {
  if (server.itemIds.length < count) throw new Error(`the demo ${server.kind} server has only ${server.itemIds.length} films`);
  const createdAt = new Date(Date.now() - ageMs).toISOString();
  const account = accountOf(server);
  const ops: Op[] = server.itemIds.slice(0, count).map((itemId, i) => ({
    id: randomUUID(),
    itemId,
    kind: i % 2 === 0 ? 'played' : 'stopped',
    // Plex counts a play per scrobble: a mark says how many plays the item had when it was made.
    payload: i % 2 === 0 ? (server.kind === 'plex' ? { playsBefore: 0 } : {}) : { positionTicks: 200 * TICKS_PER_SECOND, runtimeTicks: 600 * TICKS_PER_SECOND },
    createdAt,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    seq: i + 1,
    title: `Bench film ${i + 1}`,
    account,
  }));
  return { version: QUEUE_VERSION, seq: ops.length, ops, deadLetters: [] };
}

type Recorded = Awaited<ReturnType<DemoProcess['requests']>>;

/** A request as the plain client sends it: the recorded path and query, the recorded JSON body. */
function planRequest(entry: Recorded[number]): { method: string; path: string; body?: unknown } {
  const query = new URLSearchParams(entry.query).toString();
  return { method: entry.method, path: query === '' ? entry.path : `${entry.path}?${query}`, ...(entry.body !== undefined ? { body: entry.body } : {}) };
}

interface DrainSample extends Record<string, number> {
  seconds: number;
  rssMb: number;
  requests: number;
}

/** One `reelterm sync` of `count` updates made `ageMs` ago, against a fresh demo server; keeps what the server received. */
async function syncOnce(kind: Kind, count: number, ageMs: number, keep: (requests: Recorded) => void): Promise<DrainSample> {
  const server = await startDemoProcess(kind, count);
  const home = await signedInHome(server);
  try {
    const queue = queueOf(server, count, ageMs);
    await writeFile(join(home, 'data', 'queue.json'), JSON.stringify(queue), { mode: 0o600 });
    await server.clear();
    const run = await timedRun(process.execPath, [await reeltermBin(), 'sync', '--timeout', '900'], { env: { ...process.env, REELTERM_HOME: home } });
    if (run.code !== 0) throw new Error(`reelterm sync (${kind}) exited ${run.code}:\n${run.stdout}${run.stderr}`.slice(0, 2000));
    const requests = await server.requests();
    keep(requests);
    return { seconds: run.ms / 1000, rssMb: run.peakRssMb, requests: requests.length };
  } finally {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  }
}

/** The plain client sending `requests` to a fresh demo server of `kind`. */
async function plainOnce(kind: Kind, count: number, requests: Recorded): Promise<DrainSample> {
  const server = await startDemoProcess(kind, count);
  const dir = await mkdtemp(join(tmpdir(), 'reelterm-bench-plain-'));
  try {
    const plan = { baseUrl: server.url, headers: plainHeaders(server), requests: requests.map(planRequest) };
    const file = join(dir, 'plan.json');
    await writeFile(file, JSON.stringify(plan));
    const run = await timedRun(process.execPath, [await plainClient(), file]);
    if (run.code !== 0) throw new Error(`the plain client exited ${run.code}: ${run.stderr.slice(0, 1000)}`);
    const { failed } = JSON.parse(run.stdout) as { failed: number };
    if (failed > requests.length / 100) console.log(`  note: ${failed} of the plain client's ${requests.length} requests failed (${kind})`);
    return { seconds: run.ms / 1000, rssMb: run.peakRssMb, requests: requests.length };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const KIND_NAME: Record<Kind, string> = { jellyfin: 'Jellyfin', plex: 'Plex' };

/** `reelterm sync` of fresh and 2-hour-old updates for one kind of server, each against the plain client. */
export async function benchSync(kind: Kind): Promise<void> {
  const count = updateCount();
  const n = rounds(3);
  for (const path of ['fresh', 'replay'] as const) {
    const ageMs = path === 'fresh' ? 1000 : TWO_HOURS;
    let recorded: Recorded | undefined;
    const result = await paired(
      n,
      () => syncOnce(kind, count, ageMs, (requests) => (recorded = requests)),
      () => plainOnce(kind, count, recorded!),
      `sync ${kind} ${path}`,
    );
    const what = path === 'fresh' ? `${count.toLocaleString('en-US')} fresh updates` : `${count.toLocaleString('en-US')} updates queued 2 h ago (replay)`;
    const id = `sync.${kind}.${path}_${short(count)}`;
    const perUpdate = result.s('requests') / count;
    const sameRounds = `median of ${n} rounds, alternating with the reference; a fresh demo server for each run`;
    report({
      name: `${id}.seconds`,
      label: `\`reelterm sync\` of ${what}, ${KIND_NAME[kind]}: seconds`,
      value: result.s('seconds'),
      unit: 's',
      reference: { label: `plain node:http client, the same ${shown(result.r('requests'))} requests`, value: result.r('seconds'), unit: 's' },
      ratio: result.ratio('seconds'),
      target: '≤ 1.3× the plain client',
      met: result.ratio('seconds') <= 1.3,
      ...(path === 'replay' ? { idle: '≤ 10 s' } : {}),
      note: `${sameRounds}; ${shown(perUpdate)} requests per update`,
    });
    report({
      name: `${id}.peak_rss`,
      label: `\`reelterm sync\` of ${what}, ${KIND_NAME[kind]}: peak RSS`,
      value: result.s('rssMb'),
      unit: 'MB',
      reference: { label: 'plain node:http client', value: result.r('rssMb'), unit: 'MB' },
      ratio: result.ratio('rssMb'),
      target: '≤ 120 MB',
      met: result.s('rssMb') <= 120,
    });
    if (path === 'replay') {
      report({
        name: `${id}.requests_per_update`,
        label: `\`reelterm sync\` of ${what}, ${KIND_NAME[kind]}: requests per update, counted at the server`,
        value: perUpdate,
        unit: 'requests',
        target: '≤ 1.2',
        met: perUpdate <= 1.2,
        note: `${shown(result.s('requests'))} requests for ${count.toLocaleString('en-US')} updates`,
      });
    }
  }
}

/** `reelterm --pending` with N queued vs `node -e 0`. */
export async function benchPending(): Promise<void> {
  const count = updateCount();
  const home = await mkdtemp(join(tmpdir(), 'reelterm-bench-home-'));
  try {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(home, 'data'), { recursive: true, mode: 0o700 });
    const itemIds = Array.from({ length: count }, (_, i) => `item${String(i).padStart(8, '0')}`);
    const queue = queueOf({ kind: 'jellyfin', url: 'http://127.0.0.1:8096', itemIds, userId: 'u', userName: 'bench', serverId: 's' }, count, 1000);
    await writeFile(join(home, 'data', 'queue.json'), JSON.stringify(queue), { mode: 0o600 });
    const env = { ...process.env, REELTERM_HOME: home };
    // Warm the file cache for both.
    const bin = await reeltermBin();
    await timedRun(process.execPath, [bin, '--pending'], { env });
    await timedRun(process.execPath, ['-e', '0'], { env });
    // (a round is a fraction of a second, and the spread between rounds is wide on a busy machine)
    const n = rounds(3) * 4 - 1;
    const result = await paired(
      n,
      async () => {
        const run = await timedRun(process.execPath, [bin, '--pending'], { env });
        if (run.code !== 0 && run.code !== 1) throw new Error(`reelterm --pending exited ${run.code}: ${run.stderr.slice(0, 500)}`);
        return { seconds: run.ms / 1000, rssMb: run.peakRssMb };
      },
      async () => {
        const run = await timedRun(process.execPath, ['-e', '0'], { env });
        return { seconds: run.ms / 1000, rssMb: run.peakRssMb };
      },
      'pending',
    );
    // The floor: a script that only reads the file and prints a line per update, against the
    // same `node -e 0`. The target is on reelterm; this says how much of its time the file's
    // size makes unavoidable for any Node program (JSON.parse of the file, its garbage).
    const queueFile = join(home, 'data', 'queue.json');
    const floorScript = await pendingFloor();
    await timedRun(process.execPath, [floorScript, queueFile], { env });
    const floor = await paired(
      n,
      async () => {
        const run = await timedRun(process.execPath, [floorScript, queueFile], { env });
        if (run.code !== 0) throw new Error(`the floor script exited ${run.code}: ${run.stderr.slice(0, 500)}`);
        return { seconds: run.ms / 1000 };
      },
      async () => ({ seconds: (await timedRun(process.execPath, ['-e', '0'], { env })).ms / 1000 }),
      'pending floor',
    );
    const floorNote = `; the floor, a script that only parses the file and prints a line per update: ${shown(floor.s('seconds'))} s, ${floor.ratio('seconds').toFixed(2)}× \`node -e 0\``;
    console.log(`  (pending: the floor, a script that only parses the file and prints a line per update: ${shown(floor.s('seconds'))} s, ${floor.ratio('seconds').toFixed(2)}× \`node -e 0\`)`);
    const name = `pending.${short(count)}`;
    report({
      name: `${name}.seconds`,
      label: `\`reelterm --pending\` with ${count.toLocaleString('en-US')} queued: seconds`,
      value: result.s('seconds'),
      unit: 's',
      reference: { label: '`node -e 0`', value: result.r('seconds'), unit: 's' },
      ratio: result.ratio('seconds'),
      target: '≤ 2× `node -e 0`',
      met: result.ratio('seconds') <= 2,
      note: `median of ${n} rounds, alternating${floorNote}`,
    });
    report({
      name: `${name}.peak_rss`,
      label: `\`reelterm --pending\` with ${count.toLocaleString('en-US')} queued: peak RSS`,
      value: result.s('rssMb'),
      unit: 'MB',
      reference: { label: '`node -e 0`', value: result.r('rssMb'), unit: 'MB' },
      ratio: result.ratio('rssMb'),
      target: '≤ 2× `node -e 0`',
      met: result.ratio('rssMb') <= 2,
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

