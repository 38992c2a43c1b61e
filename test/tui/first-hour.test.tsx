import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { Low, Memory } from 'lowdb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServices } from '../../src/commands/services.js';
import { closeLog, configureLog } from '../../src/log.js';
import { MpvNotFoundError } from '../../src/player/errors.js';
import { emptyQueue, type QueueData } from '../../src/sync/op.js';
import { Outbox } from '../../src/sync/outbox.js';
import { App } from '../../src/tui/App.js';
import { SyncScreen } from '../../src/tui/components/SyncScreen.js';
import { demoOutbox, signedInClient, useDemoServer } from '../helpers/demo-server.js';
import { frame, plain } from '../helpers/ink.js';
import { renderApp, until } from '../helpers/render-app.js';
import { ScriptedDeliver } from '../helpers/scripted-deliver.js';
import { eventually } from '../helpers/wait.js';
import { jellyfinServer } from '../../src/servers/jellyfin/index.js';

const ENTER = '\r';
const ESC = '\x1b';
const TWIN = 'Twin Harbour';
let twins = 0;
// Two series of the same name, to be told apart by their year.
const server = useDemoServer({
  titles: (item) => (item.type === 'Series' && twins++ < 2 ? { name: TWIN } : undefined),
});

const byName = (type: string) =>
  server()
    .library.all()
    .filter((item) => item.type === type)
    .sort((a, b) => a.sortName.localeCompare(b.sortName));

/** A series no other test marks (by its place among the ones not named TWIN). */
const seriesAt = (index: number) => byName('Series').filter((series) => series.name !== TWIN)[index]!;
const episodesOf = (seriesId: string) => server().library.all().filter((item) => item.type === 'Episode' && item.seriesId === seriesId);

/** The message rows above the footer, joined as one text (they wrap at spaces). */
function messageText(screen: string, rows: number): string {
  const lines = screen.split('\n');
  return lines
    .slice(-1 - rows, -1)
    .map((line) => line.trim())
    .join(' ')
    .trim();
}

async function openShows(view: Awaited<ReturnType<typeof renderApp>>) {
  await until(view.lastFrame, 'Libraries');
  await view.select(/› +Shows/);
  await view.type(ENTER);
  return until(view.lastFrame, /Shows · 1\/\d+/);
}

afterEach(async () => {
  await closeLog();
});

describe('long messages', () => {
  it('wraps a long start-up message to three rows and keeps every word', async () => {
    const notices = [
      'Setting syncWaitSeconds in /home/ann/.config/reelterm/config.json is not valid (must be a number from 0 to 60): the default 3 is used.',
      'Setting mpvPath in /home/ann/.config/reelterm/config.json is not valid (must be a path to a program): the default "mpv" is used.',
    ];
    const view = await renderApp(server(), { notices });
    const screen = await until(view.lastFrame, 'Libraries');
    expect(messageText(screen, 3)).toBe(notices.join(' '));
    view.unmount();
  });

  it('says where to read the rest of a message longer than three rows, and shows it whole on m', async () => {
    const long = Array.from({ length: 8 }, (_, i) => `Problem ${i + 1} with a setting that has a long explanation.`).join(' ');
    const view = await renderApp(server(), { notices: [long] });
    const screen = await until(view.lastFrame, 'Libraries');
    expect(screen).toMatch(/… m: read all\n.*✓ Synced/);
    await view.type('m');
    const whole = await until(view.lastFrame, 'Message · esc back');
    expect(whole).toContain('Home › Message');
    expect(whole.replace(/\s+/g, ' ')).toContain(long);
    // and once read, it is done: back on home it is not shown again as if new
    await view.type(ESC);
    const back = await until(view.lastFrame, /Libraries/);
    expect(back).not.toContain('m: read all');
    view.unmount();
  });

  it("shows mpv's whole install hint when mpv is missing, and writes it to the log", async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'reelterm-log-')), 'reelterm.log');
    configureLog({ file: log, level: 'info' });
    const client = await signedInClient(server());
    const outbox = await demoOutbox(client);
    const services = createServices({
      server: jellyfinServer(client),
      outbox,
      launch: async () => {
        throw new MpvNotFoundError('mpv');
      },
      syncWaitMs: 1000,
      who: 'demo',
      account: { server: client.serverUrl, userName: 'demo' },
    });
    const view = render(<App services={services} onExit={vi.fn()} />);
    await until(view.lastFrame, /› +Movies/);
    view.stdin.write(ENTER);
    await until(view.lastFrame, /Movies · 1\/\d+/);
    view.stdin.write(ENTER);
    await until(view.lastFrame, 'enter play');
    view.stdin.write(ENTER);
    const error = `Cannot play: ${new MpvNotFoundError('mpv').message}`;
    const screen = await until(view.lastFrame, /Cannot play/);
    expect(messageText(screen, 3)).toBe(error);
    await closeLog();
    expect(readFileSync(log, 'utf8')).toContain(JSON.stringify(error));
    view.unmount();
    await outbox.close();
  });
});

describe('a failed update on the sync screen', () => {
  it('shows the whole reason of the selected one, wrapped, not only the cut row', async () => {
    const reason = 'Bad request: the server refused the played date 2026-13-45T99:00:00Z because it is not a date it can read, and said so at length';
    const op = { id: 'op-1', itemId: 'heat', kind: 'played' as const, payload: {}, createdAt: new Date().toISOString(), attempts: 1, nextAttemptAt: null, lastError: null, seq: 1, title: 'Heat' };
    const data: QueueData = { ...emptyQueue(), seq: 1, deadLetters: [{ op, reason: 'permanent', error: reason, at: new Date().toISOString() }] };
    const outbox = new Outbox({ db: new Low<QueueData>(new Memory<QueueData>(), data), deliver: new ScriptedDeliver(), random: () => 0.5 });
    const view = render(<SyncScreen queue={outbox} height={12} columns={80} />);
    const screen = await until(view.lastFrame, 'Failed (permanent)');
    const detail = screen.split('\n').slice(-4, -1).join(' ').trim();
    expect(detail).toBe(`Failed (permanent): ${reason}`);
    view.unmount();
    await outbox.close();
  });
});

describe('w on a series or a season', () => {
  it('asks with the number of episodes, marks them all at once, and sends one mark on the series', async () => {
    const series = seriesAt(0);
    const episodes = episodesOf(series.id);
    const view = await renderApp(server());
    await openShows(view);
    await view.select(new RegExp(`› +  ${series.name} · `));
    await view.type('w');
    const question = await until(view.lastFrame, 'y/n');
    expect(question).toContain(`Mark all ${episodes.length} episodes of ${series.name} watched? y/n`);
    await view.type('y');
    await until(view.lastFrame, new RegExp(`› +✓ ${series.name} · 3 seasons`));
    // The seasons and episodes show it before the server has answered anything about them.
    await view.type(ENTER);
    const seasons = await until(view.lastFrame, 'Season 3');
    expect(seasons).toMatch(/✓ Season 1 · 8 episodes\n.*✓ Season 2 · 8 episodes\n.*✓ Season 3 · 8 episodes/);
    await view.type(ENTER);
    const list = await until(view.lastFrame, 'S01E08');
    expect(list.match(/✓ S01E0\d/g)).toHaveLength(8);
    await eventually(() => {
      for (const episode of episodes) expect(server().userData('demo', episode.id)).toMatchObject({ Played: true });
    });
    const marks = server().journal.filter((entry) => entry.method === 'POST' && /\/UserPlayedItems\//i.test(entry.path));
    expect(marks.map((entry) => entry.path)).toEqual([`/UserPlayedItems/${series.id}`]);
    view.unmount();
    await view.outbox.close();
  });

  it('marks a season after y, and n leaves everything as it was', async () => {
    const series = seriesAt(1);
    const view = await renderApp(server());
    await openShows(view);
    await view.select(new RegExp(`› +  ${series.name} · `));
    await view.type(ENTER);
    await until(view.lastFrame, 'Season 3');
    await view.type('w');
    await until(view.lastFrame, `Mark all 8 episodes of ${series.name} · Season 1 watched? y/n`);
    // While it asks, a move is not taken as one, and n cancels
    await view.type('j', 'n');
    await frame(60);
    expect(plain(view.lastFrame())).toMatch(/› +  Season 1 · 8 episodes/);
    expect(plain(view.lastFrame())).not.toContain('y/n');
    await view.type('w', 'y');
    await until(view.lastFrame, /› +✓ Season 1 · 8 episodes/);
    expect(plain(view.lastFrame())).toMatch(/  Season 2 · 8 episodes/);
    await eventually(() => {
      for (const episode of episodesOf(series.id).filter((e) => e.parentIndexNumber === 1)) expect(server().userData('demo', episode.id)).toMatchObject({ Played: true });
    });
    expect(server().userData('demo', episodesOf(series.id).find((e) => e.parentIndexNumber === 2)!.id)).toMatchObject({ Played: false });
    view.unmount();
    await view.outbox.close();
  });

  it('says a whole library cannot be marked', async () => {
    const view = await renderApp(server());
    await until(view.lastFrame, 'Libraries');
    await view.select(/› +Movies/);
    await view.type('w');
    await until(view.lastFrame, 'A whole library cannot be marked: open it and mark a series or an item.');
    expect(plain(view.lastFrame())).toMatch(/› +  Movies/);
    view.unmount();
    await view.outbox.close();
  });
});

describe('rows as a new user reads them', () => {
  it('says how many seasons a series has, and tells two series of one name apart by year', async () => {
    const [first, second] = byName('Series').filter((series) => series.name === TWIN);
    const view = await renderApp(server());
    const shows = await openShows(view);
    expect(shows).toContain(`${TWIN} (${first!.productionYear}) · 3 seasons`);
    expect(shows).toContain(`${TWIN} (${second!.productionYear}) · 3 seasons`);
    expect(shows).toMatch(new RegExp(`[ ✓] ${seriesAt(0).name} · 3 seasons`));
    expect(shows).toContain('reelterm · Home › Shows');
    view.unmount();
    await view.outbox.close();
  });

  it('does not repeat the series name on its episodes, and says what each search result is', async () => {
    const series = seriesAt(2);
    const view = await renderApp(server());
    await openShows(view);
    await view.select(new RegExp(`› +  ${series.name} · `));
    await view.type(ENTER);
    await until(view.lastFrame, 'Season 3');
    await view.type(ENTER);
    const episodes = await until(view.lastFrame, 'S01E01');
    expect(episodes).toContain(`${series.name} · Season 1`);
    expect(episodes).toMatch(/› +  S01E01 · [^·\n]+ · \d+:\d\d\n/);
    await view.type('/');
    await view.type(...'Amber');
    const results = await until(view.lastFrame, 'Results for "Amber"');
    await until(view.lastFrame, / · (film|series|episode) · /);
    const rows = plain(view.lastFrame()).split('\n').filter((line) => /^[› ] +[ ✓◐] /.test(line) && line.includes(' · '));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/ · (film|series|episode)( · |$)/);
    expect(results).toContain('Search');
    view.unmount();
    await view.outbox.close();
  });
});
