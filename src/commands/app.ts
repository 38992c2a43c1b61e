import { loginCommandFor } from '../servers/index.js';
import { demoPaths, type AppPaths } from '../config/paths.js';
import type { Credentials } from '../config/credentials.js';
import { log } from '../log.js';
import { onShutdown } from '../shutdown.js';
import { openOutbox, QueueLockedError, type Outbox, type SettleResult } from '../sync/index.js';
import { accountOf, type AppContext, loadContext, makeServer, noticeText } from './context.js';
import { demoBanner, demoHelpLines, startDemo, type DemoRules } from './demo.js';
import { commandLine, lockedText, plural } from './format.js';
import { askForHomeEarly } from './home-at-start.js';
import { quickConnectSignIn, signIn } from './login.js';
import type { CommandResult } from './pending.js';

function isInteractive(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

/**
 * Loads the TUI. Ink draws nothing but the last frame when `CI` is set (it assumes a log, not
 * a terminal); reelterm only gets here on a real terminal, so that guess is dropped first.
 */
function loadTui(): Promise<typeof import('../tui/run.js')> {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  // Ink reads its own package.json when DEV=true (a common variable in users' shells): bundled, it is not there.
  delete process.env.DEV;
  return import('../tui/run.js');
}

/** The TUI and the services behind its screens (the player's code loads at the first play). */
function loadTuiModules() {
  return Promise.all([loadTui(), import('./services.js')]);
}

/** Shows the sign-in form when nothing is configured. */
async function signInFirst(context: AppContext): Promise<{ credentials?: Credentials; result?: CommandResult }> {
  const saved = context.credentials.get();
  if (saved) return { credentials: saved };
  if (!isInteractive()) {
    // No terminal to show the sign-in form on: reelterm cannot run at all, as without a sign-in need.
    return { result: { stdout: '', stderr: 'Not signed in, and no terminal to sign in on: run `reelterm login` (it reads REELTERM_PASSWORD in scripts), or try `reelterm --demo` in a terminal.\n', exitCode: 2 } };
  }
  const { runSignIn } = await loadTui();
  const last = context.credentials.lastUsed();
  const ok = await runSignIn(
    { ...(last.server ? { server: last.server } : {}), ...(last.userName ? { user: last.userName } : {}) },
    async (form) => {
      const result = await signIn(context, form);
      return 'error' in result ? result : undefined;
    },
    process,
    async (server, onCode, signal) => {
      const result = await quickConnectSignIn(context, server, { onCode, signal });
      return 'error' in result ? result : undefined;
    },
    async (onCode, signal) => {
      // The form cannot ask which server: the first that answers, the user's own before a shared one.
      const { plexSignIn, firstReachable } = await import('./login-plex.js');
      const result = await plexSignIn(context, { onCode, signal, chooseServer: async (servers) => firstReachable(servers), say: (line) => log.info(line) });
      return 'error' in result ? result : undefined;
    },
  );
  if (!ok) return { result: { stdout: '', stderr: 'Not signed in.\n', exitCode: 1 } };
  return { credentials: context.credentials.get() };
}

/**
 * `reelterm` (and `reelterm --demo`): signs in if needed, takes the sync queue, and runs the
 * TUI until the user quits. Quitting waits (boundedly) for sync and says what stays queued.
 */
export async function runApp(options: { paths: AppPaths; demo: boolean; demoPlex?: boolean; demoVersion?: DemoRules; insecure: boolean; mpvPath?: string }): Promise<CommandResult> {
  // The TUI's code (most of the bundle) loads while the settings are read and the demo server
  // starts or the sign-in is checked: reading it overlaps their waits instead of following them.
  const tuiModules = isInteractive() ? loadTuiModules() : undefined;
  tuiModules?.catch(() => undefined);
  const context = await loadContext(options.paths, { insecure: options.insecure, ...(options.mpvPath ? { mpvPath: options.mpvPath } : {}) });
  let paths = options.paths;
  let credentials: Credentials | undefined;
  let banner = '';
  let helpLines: string[] | undefined;
  let where = '';
  if (options.demo) {
    paths = demoPaths(options.paths);
    if (options.demoPlex) {
      const { startPlexDemo } = await import('./demo-plex.js');
      ({ credentials, banner, helpLines, where } = await startPlexDemo());
    } else {
      const demo = await startDemo(context, { rules: options.demoVersion ?? '10.11' });
      credentials = demo.credentials;
      banner = demoBanner(demo.server);
      helpLines = demoHelpLines(demo.server);
      where = `demo server ${demo.server.url}`;
      log.info('demo server started', { url: demo.server.url, switches: demo.server.switchesUrl, admin: demo.server.adminUrl });
    }
  } else {
    const signedIn = await signInFirst(context);
    if (signedIn.result) return { ...signedIn.result, stderr: noticeText(context.notices) + signedIn.result.stderr };
    credentials = signedIn.credentials;
  }
  if (!credentials) return { stdout: '', stderr: 'Not signed in.\n', exitCode: 1 };
  if (!isInteractive()) {
    const scripts = `${commandLine('--pending', options.demo)} or ${commandLine('sync', options.demo)}`;
    return { stdout: banner, stderr: `${noticeText(context.notices)}reelterm needs an interactive terminal. In scripts use ${scripts}.\n`, exitCode: 2 };
  }

  const server = makeServer(context, credentials.server, credentials);
  const homeAtStart = askForHomeEarly(server.library);
  let opened;
  try {
    opened = await openOutbox({
      queueFile: paths.queueFile,
      lockFile: paths.lockFile,
      deliver: server.deliver,
      account: accountOf(credentials, options.demo),
      progressIntervalMs: context.settings.progressIntervalSeconds * 1000,
    });
  } catch (error) {
    if (error instanceof QueueLockedError) return { stdout: '', stderr: `${lockedText(error, options.demo)}\n`, exitCode: 1 };
    throw error;
  }
  const { outbox } = opened;
  // Browsing that works proves the server is back: offline mode ends there and then.
  server.onReachable(() => outbox.serverReachable());
  const [{ runTui }, { createServices }] = await (tuiModules ?? loadTuiModules());
  const services = createServices({
    server,
    outbox,
    launch: async (playing) => (await import('./play.js')).launchPlayer(context.settings)(playing),
    syncWaitMs: () => context.settings.syncWaitSeconds * 1000,
    playback: context.settings,
    notices: [...context.notices, ...opened.notices],
    homeAtStart,
    ...(helpLines ? { helpLines } : {}),
    settings: {
      values: () => context.settings,
      path: context.settingsPath,
      save(key, value) {
        const problem = context.saveSetting(key, value);
        if (problem === undefined && key === 'progressIntervalSeconds') outbox.setProgressInterval((value as number) * 1000);
        return problem;
      },
    },
    who: options.demo ? `${credentials.userName} · ${where}` : `${credentials.userName} on ${credentials.server}`,
    account: { server: credentials.server, userName: credentials.userName, userId: credentials.userId },
    // The demo has one user; another one means a server of one's own (`reelterm login` acts on the real sign-in).
    ...(options.demo ? { switchAccount: `quit: the demo signs in as ${credentials.userName} only (\`reelterm demo-server\` runs one that \`reelterm login\` signs in to)` } : {}),
    ...(options.demo ? {} : { onSignedIn: (signIn: { token: string; userId: string }) => context.credentials.save({ ...credentials, token: signIn.token, userId: signIn.userId }) }),
  });
  // Teardown order on Ctrl+C or a signal: mpv's last position is queued, then the queue is written.
  // (a signal while the TUI's end writes the queue waits for that same write: `close()` is one)
  onShutdown('stop mpv and queue where it stopped', () => services.stopPlayback());
  onShutdown('write the sync queue', () => outbox.close());
  const tui = runTui(services);
  // (the first frame is drawn by then: the warm-up's request does not hold it up)
  server.warmUp?.();
  // The closing lines are said once, by whichever end comes first: Ctrl+C or a signal (the
  // teardown, once the terminal is back) or the TUI's own end. Ctrl+C pressed while `q` waits
  // for the sync runs both; one pressed after the TUI ended, while the queue is written, exits
  // from the teardown, which says them then (with what the quit's wait found).
  let said = false;
  let ended: SettleResult | undefined;
  const say = (result: SettleResult) => {
    said = true;
    process.stdout.write(banner);
    process.stderr.write(noticeText([...context.notices, ...opened.notices]) + closingLine(result, outbox, options.demo, credentials.kind));
  };
  onShutdown('say what stays queued', async () => {
    if (said) return;
    const left = ended ?? (await outbox.settle({ timeoutMs: 0 }));
    if (!said) say(left);
  });
  const result = await tui;
  ended = result;
  await services.stopPlayback();
  await outbox.close();
  // Written here rather than returned, so a teardown already under way that exits the process
  // once it is done cannot cut the lines off.
  if (!said) say(result);
  return { stdout: '', stderr: '', exitCode: 0 };
}

/** What the user is told on the way out about updates still queued (nothing when all landed). */
function closingLine(result: SettleResult, outbox: Outbox, demo: boolean, kind: string | undefined): string {
  if (result.settled) return '';
  const kept = plural(result.pending, 'update');
  const signedOut = result.reason === 'auth' || outbox.status().state === 'auth';
  // The demo signs in again by itself at its next start; a real server needs the user.
  if (signedOut && !demo) return `${kept} will sync after you sign in again (\`${loginCommandFor(kind)}\`).\n`;
  const start = demo ? commandLine('', true) : 'reelterm';
  return `${kept} will sync next time you start ${start}, or run ${commandLine('sync', demo)}.\n`;
}
