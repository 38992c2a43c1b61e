import { Command, Option } from 'commander';
import { resolvePaths } from './config/paths.js';
import { configureLog, log } from './log.js';
import { installSignalHandlers } from './shutdown.js';
import type { CommandResult } from './commands/pending.js';

const VERSION = '0.1.0';

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

async function main(argv: string[]): Promise<void> {
  installSignalHandlers();
  const paths = resolvePaths();
  const program = new Command()
    .name('reelterm')
    .description('Browse Jellyfin in the terminal, watch in mpv, and never lose what you watched.')
    .version(VERSION)
    .option('--pending', 'list queued watch-state updates and failed ones, then exit')
    .option('--json', 'with --pending or sync: print JSON for scripts')
    .option('--debug', `verbose log in ${paths.logFile}`)
    .showHelpAfterError();

  program.hook('preAction', (command) => {
    const opts = command.optsWithGlobals<{ debug?: boolean }>();
    configureLog({ file: paths.logFile, level: opts.debug ? 'debug' : 'info' });
  });

  program.action(async (opts: { pending?: boolean; json?: boolean }) => {
    if (opts.pending) {
      const { pendingCommand } = await import('./commands/pending.js');
      emit(await pendingCommand({ queueFile: paths.queueFile, json: opts.json === true, width: process.stdout.isTTY ? process.stdout.columns : undefined }));
      return;
    }
    program.help();
  });

  program
    .command('sync')
    .description('deliver queued updates now; exit 0 when everything landed')
    .addOption(new Option('--timeout <seconds>', 'how long to wait for the server').default('30'))
    .action(async (opts: { timeout: string }) => {
      const { runSync } = await import('./commands/run-sync.js');
      emit(await runSync({ paths, timeoutMs: Number(opts.timeout) * 1000 }));
    });

  await program.parseAsync(argv);
}

main(process.argv).catch(fail);
