// The reference for the TUI figures: a minimal Ink app of the same Ink and React versions as
// reelterm, bundled the same way (bench/bundles.ts copies scripts/build.mjs's options), drawing
// screens of the same size. What it does is the least any Ink client does:
//   home: a heading, a "Libraries" section and a footer; j/k move, enter opens the list
//   list: 50,000 generated rows, windowed to the screen, heading "Items · n/50000"; enter
//         opens a details screen ("enter play"), backspace goes back
//   --mpv <file>: plays <file> in mpv (no video, no audio) and shows a progress line once a
//         second; `q` stops mpv (SIGTERM, waits for its exit) before exiting
//   q: exit
import { spawn, type ChildProcess } from 'node:child_process';
import { Box, render, Text, useApp, useInput, useStdout } from 'ink';
import { createElement as h, useEffect, useState } from 'react';

const LIST_SIZE = 50_000;
const ADJECTIVES = ['Silent', 'Amber', 'Hollow', 'Crimson', 'Last', 'Northern', 'Paper', 'Iron'];
const NOUNS = ['Harbor', 'Orchard', 'Signal', 'Lighthouse', 'Frontier', 'Garden', 'Engine', 'River'];
const itemName = (i: number) => `The ${ADJECTIVES[i % ADJECTIVES.length]} ${NOUNS[(i >> 3) % NOUNS.length]} ${i + 1} (${1960 + (i % 65)})`;
const HOME = ['Continue watching', '  The Amber Orchard (1971)', '  The Paper Engine (1999)', 'Libraries', '  Movies', '  Shows'];

const mpvFile = process.argv.includes('--mpv') ? process.argv[process.argv.indexOf('--mpv') + 1] : undefined;
let mpv: ChildProcess | undefined;
if (mpvFile !== undefined) {
  mpv = spawn('mpv', ['--no-terminal', '--vo=null', '--ao=null', '--no-config', mpvFile], { stdio: 'ignore' });
}

function stopMpv(): Promise<void> {
  if (mpv === undefined || mpv.exitCode !== null) return Promise.resolve();
  const child = mpv;
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function windowStart(selected: number, total: number, height: number): number {
  return Math.max(0, Math.min(selected - Math.floor(height / 2), total - height));
}

/** The one line that changes while mpv plays: its own state, so only it re-renders (Ink still lays out and writes the frame). */
function Progress() {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return h(Text, { dimColor: true }, `▶ Playing ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} / 10:00 · q quit`);
}

function App() {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const rows = Math.max(5, (stdout.rows || 30) - 1);
  const [screen, setScreen] = useState<'home' | 'list' | 'details'>('home');
  const [homeSelected, setHomeSelected] = useState(4);
  const [selected, setSelected] = useState(0);

  useInput((input, key) => {
    if (input === 'q') {
      void stopMpv().then(() => exit());
      return;
    }
    if (screen === 'home') {
      if (input === 'j') setHomeSelected((s) => Math.min(HOME.length - 1, s + 1));
      else if (input === 'k') setHomeSelected((s) => Math.max(0, s - 1));
      else if (key.return) setScreen('list');
    } else if (screen === 'list') {
      if (input === 'j' || key.downArrow) setSelected((s) => Math.min(LIST_SIZE - 1, s + 1));
      else if (input === 'k' || key.upArrow) setSelected((s) => Math.max(0, s - 1));
      else if (key.return) setScreen('details');
      else if (key.backspace || key.delete || key.escape) setScreen('home');
    } else if (key.backspace || key.delete || key.escape) {
      setScreen('list');
    }
  });

  const heading = h(Text, { bold: true }, screen === 'list' ? `Items · ${selected + 1}/${LIST_SIZE}` : 'reference · Home');
  const footer = mpv !== undefined ? h(Progress) : h(Text, { dimColor: true }, '? help · q quit');
  const height = rows - 2;
  let body;
  if (screen === 'home') {
    body = HOME.map((line, i) => h(Text, { key: i, bold: i === homeSelected || !line.startsWith(' '), inverse: i === homeSelected }, i === homeSelected ? `› ${line.trim()}` : line));
  } else if (screen === 'list') {
    const start = windowStart(selected, LIST_SIZE, height);
    body = Array.from({ length: Math.min(height, LIST_SIZE - start) }, (_, i) => {
      const index = start + i;
      return h(Text, { key: index, wrap: 'truncate-end', inverse: index === selected }, `${index === selected ? '› ' : '  '}${itemName(index)}`);
    });
  } else {
    body = [h(Text, { key: 't', bold: true }, itemName(selected)), h(Text, { key: 'f', dimColor: true }, 'Movie · 1999 · 10:00'), h(Text, { key: 's' }, 'Not watched'), h(Text, { key: 'p', dimColor: true }, 'enter play · esc back')];
  }
  return h(Box, { flexDirection: 'column', height: rows }, heading, h(Box, { flexDirection: 'column', height }, ...body), footer);
}

process.on('SIGTERM', () => void stopMpv().then(() => process.exit(0)));
process.stdout.write('\x1b[?1049h');
const instance = render(h(App), { exitOnCtrlC: true });
await instance.waitUntilExit();
process.stdout.write('\x1b[?25h\x1b[?1049l');
// Ink's own way out leaves the event loop to drain (~100 ms here): a client that is done exits.
process.exit(0);
