import type { Command, Option } from 'commander';
import { resolvePaths, type AppPaths } from '../config/paths.js';
import { closeLog, configureLog } from '../log.js';
import { installSignalHandlers, shutdown } from '../shutdown.js';
import { VERSION } from '../version.js';
import { CANNOT_RUN, emit, failed, listPending } from './pending.js';

/**
 * Every command line but a plain `--pending` (src/cli.ts sends that one elsewhere): read by
 * commander, each command loading what it needs when it runs; a plain start of the TUI
 * (`plainStart`) skips commander.
 */

/** commander, once loaded. */
let commander: typeof import('commander') | undefined;

/** A user-facing failure: printed as one line, no stack. Commander has printed its own already. */
function fail(error: unknown): void {
  if (commander !== undefined && error instanceof commander.CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : CANNOT_RUN;
    return;
  }
  failed(error);
}

interface GlobalOptions {
  pending?: boolean;
  json?: boolean;
  debug?: boolean;
  demo?: boolean;
  demoVersion?: '10.11' | '12.0';
  plex?: boolean;
  insecure?: boolean;
  mpvPath?: string;
}

/** Other users of this machine can read a command line (ps): a token never goes there. */
const TOKEN_ON_COMMAND_LINE = 'a token on the command line is visible to every user of this machine (ps); leave the value out and set REELTERM_PLEX_TOKEN, or type it when asked.';

/**
 * Whether `reelterm login … --token VALUE` (or `--token=VALUE`) gives a token on the command
 * line. What follows `--token` is a value unless it is one of login's own flags, so a token
 * that starts with `-` (Plex's can) counts too.
 */
function tokenOnCommandLine(args: readonly string[], login: Command): boolean {
  const at = args.indexOf('login');
  if (at === -1) return false;
  const flags = new Set(login.options.flatMap((option) => [option.long, option.short]).concat(['--help', '-h']));
  return args.slice(at + 1).some((arg, index, rest) => {
    if (arg.startsWith('--token=')) return true;
    if (arg !== '--token') return false;
    const next = rest[index + 1];
    return next !== undefined && next !== '--' && !flags.has(next.split('=')[0] ?? next);
  });
}

/**
 * Commander's error with the value of an unknown `--flag=value` left out: it quotes the word
 * whole, and `--token=…` where no `--token` belongs (before `login`, on another command,
 * mistyped) would print the token back.
 */
function withoutOptionValues(text: string): string {
  return text.replace(/'(-[^'=\s]*)=.*'/g, "'$1=…'");
}

/** Seconds from `--timeout`, or a clear error. */
function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`--timeout must be a number of seconds, not "${text}"`);
  if (value <= 0) throw new Error(`--timeout must be more than 0 seconds, not ${text}`);
  return value;
}

/** The flags of a plain start of the TUI: `reelterm`, `reelterm --demo`, with `--debug` or not. */
const START_FLAGS: ReadonlySet<string> = new Set(['--demo', '--debug']);

/**
 * The options of a command line that only starts the TUI (`--demo` and `--debug`, in any
 * order, each once, and nothing else), as commander reads them; undefined for any other, which
 * is commander's. Loading and setting up commander is a tenth of the time to the first frame.
 */
export function plainStart(args: readonly string[]): GlobalOptions | undefined {
  if (new Set(args).size !== args.length || !args.every((arg) => START_FLAGS.has(arg))) return undefined;
  return { ...(args.includes('--demo') ? { demo: true } : {}), ...(args.includes('--debug') ? { debug: true } : {}) };
}

/** Where every command's log goes, verbose with `--debug`. */
function startLog(paths: AppPaths, opts: GlobalOptions): void {
  configureLog({ file: paths.logFile, level: opts.debug ? 'debug' : 'info' });
}

/** The TUI (`reelterm`, `reelterm --demo`, …) until the user quits. */
async function startApp(paths: AppPaths, opts: GlobalOptions): Promise<void> {
  const { runApp } = await import('../commands/app.js');
  exitWhenTornDown = true;
  emit(
    await runApp({
      paths,
      demo: opts.demo === true,
      demoPlex: opts.plex === true,
      insecure: opts.insecure === true,
      ...(opts.demoVersion ? { demoVersion: opts.demoVersion } : {}),
      ...(opts.mpvPath ? { mpvPath: opts.mpvPath } : {}),
    }),
  );
}

async function main(argv: string[]): Promise<void> {
  installSignalHandlers();
  const paths = resolvePaths();
  const plain = plainStart(argv.slice(2));
  if (plain !== undefined) {
    startLog(paths, plain);
    await startApp(paths, plain);
    return;
  }
  const program = await buildProgram(paths);

  // A token typed after `--token` is refused before commander reads it: a token starting with
  // `-` would otherwise be taken for an unknown option and printed back in commander's error.
  const login = program.commands.find((command) => command.name() === 'login');
  if (login !== undefined && tokenOnCommandLine(argv.slice(2), login)) {
    process.stderr.write(`reelterm: ${TOKEN_ON_COMMAND_LINE}\n`);
    process.exitCode = CANNOT_RUN;
    return;
  }

  // `reelterm help nope`: commander would print the whole help; name the mistake instead.
  const [first, topic] = argv.slice(2);
  if (first === 'help' && topic !== undefined && !topic.startsWith('-') && !program.commands.some((c) => c.name() === topic || c.aliases().includes(topic))) {
    process.stderr.write(`${unknownCommand(program, topic)}\nRun \`reelterm --help\` to see the commands and options.\n`);
    process.exitCode = 2;
    return;
  }
  await program.parseAsync(argv);
}

/** reelterm's commands and flags, read by commander (the root command's action starts the TUI). */
export async function buildProgram(paths: AppPaths): Promise<Command> {
  commander = await import('commander');
  const { Command, Option } = commander;
  const insecureOption = () => new Option('--insecure', 'trust a server certificate that is self-signed');
  const debugOption = (logFile: string) => new Option('--debug', `verbose log (in ${logFile})`);
  const demoVersionOption = (what: string) => new Option('--demo-version <version>', what).choices(['10.11', '12.0']);
  const program = new Command()
    .name('reelterm')
    .description('Jellyfin or Plex in a terminal: watch in mpv, never lose what you watched.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--demo', 'run on the embedded demo server (no account)')
    .addOption(demoVersionOption('with --demo: rules of Jellyfin 10.11 or 12.0'))
    .option('--plex', 'with --demo: a demo Plex server instead')
    .option('--pending', 'list queued and failed updates, then exit')
    .option('--json', 'with --pending: print JSON for scripts')
    .addOption(insecureOption())
    .option('--mpv-path <path>', 'the mpv to play with (default: mpv on PATH)')
    .addOption(debugOption(paths.logFile))
    // Options belong to the command they follow, so `demo-server --version 12.0` is its own.
    .enablePositionalOptions()
    .exitOverride();

  program.hook('preAction', (_command, action) => startLog(paths, action.optsWithGlobals<GlobalOptions>()));

  program.action(async (opts: GlobalOptions) => {
    if (program.args.length > 0) program.error(unknownCommand(program, program.args[0]!), { code: 'commander.unknownCommand' });
    if (opts.pending) {
      await listPending(paths, { json: opts.json === true, demo: opts.demo === true });
      return;
    }
    if (opts.plex && !opts.demo) throw new Error('--plex goes with --demo (a demo Plex server); to sign in to your Plex server: reelterm login --plex');
    await startApp(paths, opts);
  });

  program
    .command('sync')
    .description('deliver queued updates now; exit 0 when all landed')
    .addOption(new Option('--timeout <seconds>', 'how long to wait for the server').default('30'))
    .option('--retry-failed', 'send failed and expired updates again too')
    .option('--demo', 'deliver the demo\'s queue to a demo server')
    .addOption(demoVersionOption('with --demo: rules of Jellyfin 10.11 or 12.0'))
    .addOption(insecureOption())
    .addOption(debugOption(paths.logFile))
    .action(async (opts: { timeout: string; retryFailed?: boolean }, command: Command) => {
      const timeoutMs = seconds(opts.timeout) * 1000;
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { runDemoSync, runSync } = await import('../commands/run-sync.js');
      if (globals.demo) {
        emit(await runDemoSync({ paths, timeoutMs, retryFailed: opts.retryFailed === true, ...(globals.demoVersion ? { rules: globals.demoVersion } : {}) }));
        return;
      }
      emit(await runSync({ paths, timeoutMs, insecure: globals.insecure === true, retryFailed: opts.retryFailed === true }));
    });

  program
    .command('login')
    .description('sign in (asks for what the flags leave out)')
    .option('--server <url>', 'server address, e.g. https://jf.example:8096')
    .option('--user <name>', 'user name')
    .option('--quick-connect', 'sign in with a code approved in another app')
    .option('--plex', 'sign in to Plex with a code at plex.tv/link')
    .option('--token [token]', 'with --plex: to --server URL with a token')
    .addOption(new Option('--timeout <seconds>', 'how long to wait for a code').default('300'))
    .addOption(insecureOption())
    .addOption(debugOption(paths.logFile))
    .addOption(new Option('--demo').hideHelp())
    .action(async (opts: { server?: string; user?: string; quickConnect?: boolean; plex?: boolean; token?: string | boolean; timeout: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (globals.demo) {
        throw new Error('the demo signs in by itself (`reelterm --demo`). To try `reelterm login`, run `reelterm demo-server` and sign in to the address it prints.');
      }
      if (typeof opts.token === 'string') throw new Error(TOKEN_ON_COMMAND_LINE);
      if (opts.token === true && !opts.plex) throw new Error('--token is for Plex: `reelterm login --plex --server URL --token`.');
      const [{ loadContext }, { loginCommand, quickConnectCommand }, { terminalPrompter }, { onShutdown }] = await Promise.all([
        import('../commands/context.js'),
        import('../commands/login.js'),
        import('../commands/prompt.js'),
        import('../shutdown.js'),
      ]);
      const context = await loadContext(paths, { insecure: globals.insecure === true });
      if (opts.plex) {
        const { plexLoginCommand } = await import('../commands/login-plex.js');
        const abort = new AbortController();
        const unregister = onShutdown('stop waiting for the Plex code', () => abort.abort());
        const say = (line: string) => process.stderr.write(`${line}\n`);
        emit(await plexLoginCommand(context, { ...(opts.server ? { server: opts.server } : {}), token: opts.token === true, timeoutMs: seconds(opts.timeout) * 1000, prompter: terminalPrompter(), say, signal: abort.signal }));
        unregister();
        return;
      }
      if (opts.quickConnect) {
        const timeoutMs = seconds(opts.timeout) * 1000;
        const abort = new AbortController();
        const unregister = onShutdown('stop waiting for Quick Connect', () => abort.abort());
        const say = (line: string) => process.stderr.write(`${line}\n`);
        emit(await quickConnectCommand(context, { ...(opts.server ? { server: opts.server } : {}), timeoutMs, prompter: terminalPrompter(), say, signal: abort.signal }));
        unregister();
        return;
      }
      const password = process.env.REELTERM_PASSWORD;
      const { server, user } = opts;
      emit(await loginCommand(context, { ...(server ? { server } : {}), ...(user ? { user } : {}), ...(password !== undefined ? { password } : {}), prompter: terminalPrompter() }));
    });

  program
    .command('logout')
    .description('sync briefly, revoke the token and forget it')
    .option('--forget', 'forget the token even if it cannot be revoked')
    .addOption(insecureOption())
    .addOption(debugOption(paths.logFile))
    .addOption(new Option('--demo').hideHelp())
    .action(async (opts: { forget?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (globals.demo) throw new Error('the demo\'s sign-in is never stored, so there is nothing to sign out of: quitting `reelterm --demo` ends it.');
      const [{ loadContext }, { logoutCommand }] = await Promise.all([import('../commands/context.js'), import('../commands/logout.js')]);
      emit(await logoutCommand(await loadContext(paths, { insecure: globals.insecure === true }), { forget: opts.forget === true }));
    });

  program
    .command('demo-server')
    .description('run the demo server on its own until Ctrl+C')
    .option('--port <number>', 'port to listen on, 0 for any', '8096')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--version <version>', 'rules of Jellyfin 10.11 or 12.0').choices(['10.11', '12.0']).default('10.11'))
    .addOption(debugOption(paths.logFile))
    .action(async (opts: { port: string; host: string; version: '10.11' | '12.0' }) => {
      const { demoServerCommand } = await import('../commands/demo-server.js');
      emit(await demoServerCommand({ port: opts.port, host: opts.host, rules: opts.version, say: (text) => process.stdout.write(text) }));
    });

  // Set after the subcommands, which would inherit them: `reelterm help` works like `--help`,
  // and a stray word is reported as an unknown command (in the action), not "too many arguments".
  program.helpCommand(true).allowExcessArguments();
  // `reelterm --help` and `reelterm help`: every command and flag, one line each (a command's own
  // help, `reelterm sync --help`, is commander's; the README has the details). Set after the
  // subcommands, which would inherit it.
  program.configureHelp({ formatHelp: () => overviewHelp(program, paths.logFile) });
  // A mistyped flag or command gets the error and where to look, not the whole help.
  for (const command of [program, ...program.commands]) {
    const name = command === program ? 'reelterm' : `reelterm ${command.name()}`;
    command.showHelpAfterError(`Run \`${name} --help\` to see ${command === program ? 'the commands and options' : 'its options'}.`);
    command.configureOutput({ outputError: (text, write) => write(withoutOptionValues(text)) });
  }
  return program;
}

/**
 * Set once the TUI ran: after its teardown (mpv stopped, the queue written, the demo server
 * closed) nothing is left to do, so the process ends there and then instead of waiting for
 * what is merely idle to let go of the event loop (keep-alive sockets, the terminal's stream).
 * Commands that serve until a signal (`demo-server`) are left to end on their own.
 */
let exitWhenTornDown = false;

/** Ends the process once what was written to the log, stdout and stderr is out. */
async function exitPromptly(): Promise<void> {
  await closeLog();
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit();
}

/** Runs the command line `argv` (src/cli.ts calls it; importing this module runs nothing). */
export function runCli(argv: string[]): Promise<void> {
  return main(argv)
    .catch(fail)
    .finally(async () => {
      await shutdown();
      if (exitWhenTornDown) await exitPromptly();
    });
}

/** "error: unknown command 'synk'", with the command meant when one is a typo away (as commander does for flags). */
function unknownCommand(program: Command, word: string): string {
  const names = program.commands.flatMap((command) => [command.name(), ...command.aliases()]);
  const near = names.filter((name) => editDistance(word, name) <= Math.max(1, Math.floor(name.length / 3)));
  return `error: unknown command '${word}'${near.length > 0 ? `\n(Did you mean ${near.join(' or ')}?)` : ''}`;
}

/** Optimal string alignment distance: typos that insert, drop, change or swap letters. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The whole command line, one line a command or flag, fitting 80 columns. */
export function overviewHelp(program: Command, logFile: string): string {
  const LEFT = 30;
  const row = (left: string, right: string) => (left.length < LEFT ? `${left.padEnd(LEFT)}${right}` : `${left}  ${right}`);
  const flagRow = (option: Option) => {
    const fallback = option.defaultValue !== undefined && typeof option.defaultValue !== 'boolean' ? ` (default ${String(option.defaultValue)})` : '';
    // (the log's file is named once, below)
    const description = option.long === '--debug' ? 'write a verbose log' : option.description;
    return row(`    ${option.flags}`, `${description}${fallback}`);
  };
  const visible = (command: Command) => command.options.filter((option) => !option.hidden);
  const everywhere = new Set(['--insecure', '--debug']);
  const lines = [
    'Usage: reelterm [options] [command]',
    '',
    program.description(),
    '',
    row('  reelterm [options]', 'browse and play (signs in first when needed)'),
    ...visible(program).map(flagRow),
    row('    -h, --help', 'print this help'),
  ];
  for (const command of program.commands) {
    if (command.name() === 'help') continue;
    lines.push(row(`  reelterm ${command.name()}${visible(command).length > 0 ? ' [options]' : ''}`, command.description()));
    for (const option of visible(command)) if (!everywhere.has(option.long ?? '')) lines.push(flagRow(option));
  }
  lines.push(
    row('  reelterm help [command]', 'this help, or a command\'s own'),
    '',
    '--insecure and --debug go with any command. Log file:',
    `  ${logFile}`,
    'Keys, settings, files and how sync behaves: the README.',
    '',
  );
  return lines.join('\n');
}
