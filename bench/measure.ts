// Helpers shared by the benchmarks: rounds that alternate a subject and its reference,
// statistics, timed child processes with their peak memory, and the bench's scratch folder.
import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * What the environment had that the measured processes run without. Node 20 reads every
 * certificate of NODE_EXTRA_CA_CERTS as it starts (50-60 ms, where a machine points it at the
 * system bundle): a cost of that machine, the same for reelterm and its reference, which made
 * every start-up ratio look closer to 1 than on most people's machines. The parts import this
 * module before any of their own code runs, so the variable is gone before one copies the
 * environment for a child.
 */
export const UNSET_FOR_RUNS = ['NODE_EXTRA_CA_CERTS'].filter((name) => process.env[name] !== undefined);
for (const name of UNSET_FOR_RUNS) delete process.env[name];

/** How many rounds a paired figure takes (BENCH_ROUNDS, default `fallback`). */
export function rounds(fallback: number): number {
  const value = Number(process.env.BENCH_ROUNDS);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export type Sample = Record<string, number>;

/** What `paired` collected: each key's values per side, in round order. */
export interface PairedResult {
  subject: Record<string, number[]>;
  reference: Record<string, number[]>;
  /** Per round, subject ÷ reference of `key` (the ratio whose median is reported: each pair shares the load of its moment). */
  ratios(key: string, referenceKey?: string): number[];
  /** Median of the per-round ratios. */
  ratio(key: string, referenceKey?: string): number;
  s(key: string): number;
  r(key: string): number;
}

/**
 * Runs `subject` and `reference` `count` times each, alternating which goes first (subject
 * first in round 1, reference first in round 2, …), so a change of the machine's load hits both.
 * Each run returns named numbers (seconds, MB, …).
 */
export async function paired(count: number, subject: (round: number) => Promise<Sample>, reference: (round: number) => Promise<Sample>, label = ''): Promise<PairedResult> {
  const s: Sample[] = [];
  const r: Sample[] = [];
  for (let round = 0; round < count; round++) {
    if (round % 2 === 0) {
      s.push(await subject(round));
      r.push(await reference(round));
    } else {
      r.push(await reference(round));
      s.push(await subject(round));
    }
    if (label !== '' && process.env.BENCH_VERBOSE) console.log(`  ${label} round ${round + 1}: subject ${JSON.stringify(s.at(-1))} reference ${JSON.stringify(r.at(-1))}`);
  }
  const collect = (samples: Sample[]) => {
    const out: Record<string, number[]> = {};
    for (const sample of samples) for (const [key, value] of Object.entries(sample)) (out[key] ??= []).push(value);
    return out;
  };
  const subjectValues = collect(s);
  const referenceValues = collect(r);
  const ratios = (key: string, referenceKey = key) => s.map((sample, i) => sample[key]! / r[i]![referenceKey]!);
  return {
    subject: subjectValues,
    reference: referenceValues,
    ratios,
    ratio: (key, referenceKey) => median(ratios(key, referenceKey)),
    s: (key) => median(subjectValues[key] ?? []),
    r: (key) => median(referenceValues[key] ?? []),
  };
}

/** What a timed child process did. */
export interface Timed {
  ms: number;
  /** Peak resident memory in MB (the kernel's high-water mark), when it could be read. */
  peakRssMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Spawns `command` and times it from spawn to exit. The peak RSS comes from GNU time's `%M`
 * (the kernel's own count at exit) when /usr/bin/time exists, else from polling /proc.
 */
export async function timedRun(command: string, args: readonly string[], options: SpawnOptions & { input?: string } = {}): Promise<Timed> {
  const dir = await mkdtemp(join(tmpdir(), 'reelterm-bench-time-'));
  const rssFile = join(dir, 'rss');
  const wrapped = existsSync(GNU_TIME);
  const started = performance.now();
  const child = wrapped
    ? spawn(GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args], { ...options, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin!.end(options.input ?? '');
  let polledKb = 0;
  const poll = wrapped
    ? undefined
    : setInterval(() => {
        void readFile(`/proc/${child.pid}/status`, 'utf8')
          .then((status) => {
            const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
            polledKb = Math.max(polledKb, kb);
          })
          .catch(() => undefined);
      }, 20);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  const ms = performance.now() - started;
  if (poll) clearInterval(poll);
  let peakKb = polledKb;
  if (wrapped) {
    const text = await readFile(rssFile, 'utf8').catch(() => '');
    peakKb = Number(text.trim().split('\n').at(-1)) || 0;
  }
  await rm(dir, { recursive: true, force: true });
  return { ms, peakRssMb: peakKb / 1024, code, stdout, stderr };
}

/** The 1-minute load average, one decimal. */
export function load(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

let scratch: Promise<string> | undefined;

/**
 * The bench's own temp folder for its bundles (references, the demo servers' process, the
 * plain client). `assets` links to the repository's, so the demo servers find their clip.
 */
export function scratchDir(): Promise<string> {
  scratch ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reelterm-bench-'));
    await symlink(join(ROOT, 'assets'), join(dir, 'assets'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return scratch;
}

/** Removes the scratch folder (end of the run). */
export async function removeScratch(): Promise<void> {
  if (scratch === undefined) return;
  await rm(await scratch, { recursive: true, force: true });
  scratch = undefined;
}

/** Sleeps `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
