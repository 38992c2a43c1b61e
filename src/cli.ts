import { Command, Option } from 'commander';
import { resolvePaths } from './config/paths.js';
import { configureLog, log } from './log.js';
import { installSignalHandlers, shutdown } from './shutdown.js';
import type { CommandResult } from './commands/pending.js';
import { VERSION } from './version.js';

function emit(result: CommandResult): void {
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

/** A user-facing failure: printed as one line, no stack. */
function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log.error('command failed', { error });
  process.stderr.write(`reelterm: ${message}\n`);
  process.exitCode = 2;
}

interface GlobalOptions {
  pending?: boolean;
  json?: boolean;
  debug?: boolean;
  demo?: boolean;
  demoVersion?: '10.11' | '12.0';
  insecure?: boolean;
  mpvPath?: string;
}

async function main(argv: string[]): Promise<void> {
  installSignalHandlers();
  const paths = resolvePaths();
  const program = new Command()
    .name('reelterm')
    .description('Browse Jellyfin in the terminal, watch in mpv, and never lose what you watched.')
    .version(VERSION)
    .option('--demo', 'run on the embedded demo server (no account needed)')
    .addOption(new Option('--demo-version <version>', 'with --demo: the Jellyfin whose rules the demo server follows').choices(['10.11', '12.0']))
    .option('--pending', 'list queued watch-state updates and failed ones, then exit')
    .option('--json', 'with --pending: print JSON for scripts')
    .option('--insecure', 'accept a server certificate that is not trusted (self-signed)')
    .option('--mpv-path <path>', 'the mpv program to play with (default: mpv on PATH, or the mpvPath setting)')
    .option('--debug', `verbose log in ${paths.logFile}`)
    .showHelpAfterError();

  program.hook('preAction', (_command, action) => {
    const opts = action.optsWithGlobals<GlobalOptions>();
    configureLog({ file: paths.logFile, level: opts.debug ? 'debug' : 'info' });
  });

  program.action(async (opts: GlobalOptions) => {
    if (opts.pending) {
      const { pendingCommand } = await import('./commands/pending.js');
      const queueFile = opts.demo ? (await import('./commands/demo.js')).demoPaths(paths).queueFile : paths.queueFile;
      emit(await pendingCommand({ queueFile, json: opts.json === true, width: process.stdout.isTTY ? process.stdout.columns : undefined }));
      return;
    }
    const { runApp } = await import('./commands/app.js');
    emit(
      await runApp({
        paths,
        demo: opts.demo === true,
        insecure: opts.insecure === true,
        ...(opts.demoVersion ? { demoVersion: opts.demoVersion } : {}),
        ...(opts.mpvPath ? { mpvPath: opts.mpvPath } : {}),
      }),
    );
  });

  program
    .command('sync')
    .description('deliver queued updates now; exit 0 when everything landed (--retry-failed: failed ones too)')
    .addOption(new Option('--timeout <seconds>', 'how long to wait for the server').default('30'))
    .option('--retry-failed', 'put every failed or expired update back in the queue first, and deliver it whatever its age')
    .action(async (opts: { timeout: string; retryFailed?: boolean }, command: Command) => {
      const seconds = Number(opts.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--timeout must be a number of seconds, not "${opts.timeout}"`);
      const { runSync } = await import('./commands/run-sync.js');
      emit(await runSync({ paths, timeoutMs: seconds * 1000, insecure: command.optsWithGlobals<GlobalOptions>().insecure === true, retryFailed: opts.retryFailed === true }));
    });

  program
    .command('login')
    .description('sign in to a Jellyfin server (asks for the password, or reads REELTERM_PASSWORD; or --quick-connect)')
    .option('--server <url>', 'server address, e.g. https://jellyfin.example:8096')
    .option('--user <name>', 'user name')
    .option('--quick-connect', 'sign in with a code approved in another Jellyfin app (no password)')
    .addOption(new Option('--timeout <seconds>', 'with --quick-connect: how long to wait for approval').default('300'))
    .action(async (opts: { server?: string; user?: string; quickConnect?: boolean; timeout: string }, command: Command) => {
      const [{ loadContext }, { loginCommand, quickConnectCommand }, { terminalPrompter }, { onShutdown }] = await Promise.all([
        import('./commands/context.js'),
        import('./commands/login.js'),
        import('./commands/prompt.js'),
        import('./shutdown.js'),
      ]);
      const context = await loadContext(paths, { insecure: command.optsWithGlobals<GlobalOptions>().insecure === true });
      if (opts.quickConnect) {
        const seconds = Number(opts.timeout);
        if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--timeout must be a number of seconds, not "${opts.timeout}"`);
        const abort = new AbortController();
        const unregister = onShutdown('stop waiting for Quick Connect', () => abort.abort());
        const say = (line: string) => process.stderr.write(`${line}\n`);
        emit(await quickConnectCommand(context, { ...(opts.server ? { server: opts.server } : {}), timeoutMs: seconds * 1000, prompter: terminalPrompter(), say, signal: abort.signal }));
        unregister();
        return;
      }
      const password = process.env.REELTERM_PASSWORD;
      emit(await loginCommand(context, { ...opts, ...(password !== undefined ? { password } : {}), prompter: terminalPrompter() }));
    });

  program
    .command('logout')
    .description('sync what is queued (briefly), revoke the token on the server and forget it (kept while it cannot be revoked)')
    .option('--forget', 'forget the token here even if the server cannot revoke it (it then stays valid on the server)')
    .action(async (opts: { forget?: boolean }, command: Command) => {
      const [{ loadContext }, { logoutCommand }] = await Promise.all([import('./commands/context.js'), import('./commands/logout.js')]);
      emit(await logoutCommand(await loadContext(paths, { insecure: command.optsWithGlobals<GlobalOptions>().insecure === true }), { forget: opts.forget === true }));
    });

  await program.parseAsync(argv);
}

main(process.argv)
  .catch(fail)
  .finally(() => shutdown());
