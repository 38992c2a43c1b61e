import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { MpvNotFoundError, MpvStartError, MpvTooOldError } from './errors.js';
import { MpvCommandError, MpvIpcClosedError, MpvIpcTimeoutError } from './ipc.js';
import { mpvArguments, mpvEnvironment } from './mpv-arguments.js';
import type { PlayerOptions } from './options.js';
import { trackPlayerProcess } from './registry.js';

/** How mpv's process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** After asking mpv to quit, how long before it is killed. */
export const QUIT_GRACE_MS = 2000;
/** How long to wait for the second of "process exited" and "IPC closed" before deciding how mpv ended. */
export const SETTLE_EXIT_MS = 1000;
const OUTPUT_TAIL_CHARS = 4096;

/**
 * mpv's process: started in its own session (no controlling terminal, so it cannot touch the
 * TUI's), its IPC on a socket pair (fd 3, no socket file), the tail of what it printed kept for
 * error messages, and how it ended.
 */
export class MpvProcess {
  readonly pid: number;
  /** The IPC end of the socket pair. */
  readonly channel: Duplex;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;
  /** Resolves once its stdout and stderr are closed (its last words read). */
  readonly outputClosed: Promise<void>;
  exitInfo: ExitInfo | undefined;
  spawnError: Error | undefined;
  private output = '';
  private killTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly mpvPath: string,
    on: { exit: () => void; error: (error: Error) => void },
  ) {
    this.pid = child.pid ?? -1;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        clearTimeout(this.killTimer);
        on.exit();
        resolve();
      });
    });
    child.on('error', (error) => {
      this.spawnError ??= error;
      on.error(error);
    });
    const outputs = [child.stdout, child.stderr].filter((stream) => stream !== null);
    for (const stream of outputs) {
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => {
        this.output = (this.output + text).slice(-OUTPUT_TAIL_CHARS);
      });
    }
    this.outputClosed = Promise.all(outputs.map((stream) => new Promise((resolve) => stream.once('close', resolve)))).then(() => undefined);
    this.channel = child.stdio[3] as Duplex;
  }

  /** Starts mpv with reelterm's arguments and the user's extra ones; `on` hears of its exit and of a failed spawn. */
  static spawn(options: PlayerOptions, on: { exit: () => void; error: (error: Error) => void }): MpvProcess {
    const mpvPath = options.mpvPath ?? 'mpv';
    let child: ChildProcess;
    try {
      child = spawn(mpvPath, mpvArguments(options.extraArgs, { ...(options.tlsVerify !== undefined ? { tlsVerify: options.tlsVerify } : {}) }), {
        // stdout and stderr are kept for error messages (mpv prints its errors on stdout).
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
        // Its own session: mpv has no controlling terminal, so it cannot touch the TUI's.
        detached: true,
        env: mpvEnvironment(options.env ?? process.env),
      });
    } catch (error) {
      throw new MpvStartError(`could not start mpv ('${mpvPath}'): ${(error as Error).message}`);
    }
    const started = new MpvProcess(child, mpvPath, on);
    if (child.pid !== undefined) trackPlayerProcess(child);
    return started;
  }

  /** Whether the process was started at all (a failed spawn says why on the next tick). */
  get spawned(): boolean {
    return this.child.pid !== undefined;
  }

  /** mpv's output lines worth showing (the closing "Exiting..." line says nothing). */
  outputLines(): string[] {
    return this.output
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/^Exiting\.\.\./.test(line));
  }

  /** Kills it after the grace period unless it has gone by then (it was asked to quit). */
  killAfterGrace(): void {
    if (this.killTimer !== undefined) return;
    this.killTimer = setTimeout(() => this.kill(), QUIT_GRACE_MS);
    this.killTimer.unref();
  }

  /** Ends it now (SIGTERM: mpv has nothing to save, and `endedOnPurpose` counts it as asked). */
  terminate(): void {
    if (this.exitInfo !== undefined) return;
    try {
      this.child.kill('SIGTERM');
    } catch {
      // gone already
    }
  }

  kill(): void {
    if (this.exitInfo !== undefined) return;
    try {
      this.child.kill('SIGKILL');
    } catch {
      // gone already
    }
  }

  /** Whether mpv went away because someone asked it to (see {@link endedOnPurpose}). */
  endedOnPurpose(): boolean {
    return endedOnPurpose(this.exitInfo);
  }

  /** Turns whatever stopped the launch into the error the user should read. */
  async launchError(error: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    if (error instanceof MpvTooOldError || error instanceof MpvNotFoundError) return error;
    if (signal?.aborted) return signal.reason;
    if (this.spawnError === undefined && (error instanceof MpvIpcClosedError || this.exitInfo !== undefined)) {
      // Wait (briefly) for the process to tell how it ended and for its last output.
      await Promise.race([this.exited, delay(SETTLE_EXIT_MS)]);
      await Promise.race([this.outputClosed, delay(500)]);
    }
    const spawnError = this.spawnError as NodeJS.ErrnoException | undefined;
    if (spawnError?.code === 'ENOENT') return new MpvNotFoundError(this.mpvPath);
    if (spawnError !== undefined) return new MpvStartError(`could not start mpv ('${this.mpvPath}'): ${spawnError.message}`);
    const output = this.outputLines();
    if (output.some((line) => /input-ipc-client/.test(line) && /not found/i.test(line))) return new MpvTooOldError(this.mpvPath, undefined);
    const said = output.length > 0 ? `: ${output.slice(-3).join(' / ')}` : '';
    const details = { output: output.join('\n'), exitCode: this.exitInfo?.code ?? null, signal: this.exitInfo?.signal ?? null };
    if (this.exitInfo !== undefined) {
      const how = this.exitInfo.signal !== null ? `was killed by ${this.exitInfo.signal}` : `exited with code ${this.exitInfo.code}`;
      return new MpvStartError(`mpv ${how} before it was ready${said}`, details);
    }
    if (error instanceof MpvIpcTimeoutError) return new MpvStartError(`mpv did not answer within ${error.timeoutMs} ms${said}`, details);
    if (error instanceof MpvCommandError) return new MpvStartError(`${error.message}${said}`, details);
    return new MpvStartError(`mpv could not start: ${(error as Error)?.message ?? String(error)}${said}`, details);
  }
}

/**
 * Whether mpv went away because someone asked it to, when no end-file said why: a normal exit
 * (0), mpv's "quit by a signal" code (4, e.g. Ctrl+C in its window), or a polite signal
 * (SIGTERM and friends kill it outright when its terminal handling is off). SIGKILL, SIGSEGV,
 * SIGABRT and error codes are a crash.
 */
export function endedOnPurpose(exit: ExitInfo | undefined): boolean {
  if (exit === undefined) return false;
  if (exit.signal !== null) return exit.signal === 'SIGTERM' || exit.signal === 'SIGINT' || exit.signal === 'SIGHUP';
  return exit.code === 0 || exit.code === 4;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
