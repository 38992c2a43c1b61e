// `npm run bench`: runs every benchmark, prints one line per figure, and writes docs/PERFORMANCE.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type } from 'node:os';
import { benchDrain, benchPlaybackHour } from './outbox.js';
import { benchPlayback } from './playback.js';
import { figures, type Figure } from './report.js';
import { benchFirstFrame, benchKeypress, benchPlaybackCpu } from './tui.js';

await benchPlaybackHour();
await benchDrain();
await benchPlayback();
await benchFirstFrame();
await benchKeypress();
await benchPlaybackCpu();

function mpvVersion(): string {
  try {
    return execFileSync('mpv', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.split(' Copyright')[0]!.trim();
  } catch {
    return 'mpv not found';
  }
}

function row(figure: Figure): string {
  const shown = Number.isInteger(figure.value) ? String(figure.value) : figure.value.toFixed(figure.value < 10 ? 2 : 1);
  return `| ${figure.name} | ${shown} ${figure.unit} | ${figure.target} | ${figure.met ? 'met' : `**missed**${figure.limit ? `: ${figure.limit}` : ''}`} |`;
}

const missed = figures.filter((figure) => !figure.met);
const cpu = cpus();
const lines = [
  '# Performance',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`,
  '',
  `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${type()}, Node ${process.version}, ${mpvVersion()}.`,
  '',
  missed.length > 0 ? `${missed.length} figure${missed.length === 1 ? '' : 's'} missed the target (listed first).` : 'Every figure met its target.',
  '',
  '| benchmark | figure | target | |',
  '| --- | --- | --- | --- |',
  ...[...missed, ...figures.filter((figure) => figure.met)].map(row),
  '',
];
mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
writeFileSync(new URL('../docs/PERFORMANCE.md', import.meta.url), lines.join('\n'));
console.log('wrote docs/PERFORMANCE.md');
