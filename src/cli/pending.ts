/**
 * `reelterm --pending`, and what every command line shares with it: how a result is printed
 * and how a failure is said. The build also makes this file a bundle of its own
 * (dist/pending.js, scripts/build.mjs): src/cli.ts sends a plain `--pending` there, so listing
 * the queue loads one file instead of the CLI's chunks.
 */
import { demoPaths, resolvePaths, type AppPaths } from '../config/paths.js';
import { configureLog, log } from '../log.js';
import { installSignalHandlers, shutdown } from '../shutdown.js';
import type { CommandResult } from '../commands/pending.js';

/** Exit code when reelterm could not run at all: bad flags, an unknown command, no terminal. */
export const CANNOT_RUN = 2;

/** Prints a command's result and sets the exit code. */
export function emit(result: CommandResult): void {
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

/**
 * Node's words for a folder reelterm needs that something else stands in for ("EEXIST: file
 * already exists, mkdir '…/config'"), said as what to do about it; other errors as they are.
 */
function failureText(error: unknown): string {
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (path !== undefined && ((code === 'EEXIST' && syscall === 'mkdir') || code === 'ENOTDIR')) {
    return `${path} cannot be used: reelterm keeps a folder there (or on its way), and something that is not a folder is in the way. Move it away and run reelterm again.`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A user-facing failure: printed as one line, no stack (that goes to the log). */
export function failed(error: unknown): void {
  const message = failureText(error);
  log.error('command failed', { error });
  process.stderr.write(`reelterm: ${message}\n`);
  process.exitCode = CANNOT_RUN;
}

/** Lists the queue (the demo's with `--demo`) without touching it. */
export async function listPending(paths: AppPaths, flags: { json: boolean; demo: boolean }): Promise<void> {
  const { pendingCommand } = await import('../commands/pending.js');
  const queueFile = flags.demo ? demoPaths(paths).queueFile : paths.queueFile;
  emit(await pendingCommand({ queueFile, json: flags.json, demo: flags.demo, width: process.stdout.isTTY ? process.stdout.columns : undefined }));
}

/** The log, for a failure's details, where one can be kept. */
function openLog(paths: AppPaths): void {
  try {
    configureLog({ file: paths.logFile, level: 'info' });
  } catch {
    // (a log that cannot be opened loses the details; the failure is still said on stderr)
  }
}

/** A whole run of a plain `reelterm --pending [--json] [--demo]`. */
export async function runPending(flags: { json: boolean; demo: boolean }): Promise<void> {
  installSignalHandlers();
  let paths: AppPaths | undefined;
  try {
    paths = resolvePaths();
    await listPending(paths, flags);
  } catch (error) {
    // The log is opened for a failure only: a listing logs nothing else, and so does not need it
    // to work (nor to wait for a file stream to open, in a command that scripts run again and again).
    if (paths !== undefined) openLog(paths);
    failed(error);
  } finally {
    await shutdown();
  }
}
