/**
 * The launch of a playback: from a spawned mpv to a playlist mpv has accepted (version check,
 * setup over IPC, observed properties, loadfile), every step raced against what can cut it short.
 */
import { log } from '../log.js';
import { isMpvTooOld, MpvTooOldError } from './errors.js';
import type { MpvIpc } from './ipc.js';
import { loadCommand } from './mpv-arguments.js';
import type { MpvProcess } from './mpv-process.js';
import type { PlayerEntry, PlayerOptions } from './options.js';

const DEFAULT_LAUNCH_TIMEOUT_MS = 10_000;
/**
 * The properties the player follows (events: end-file, seek, playback-restart, file-loaded…).
 * Not `time-pos`, which mpv reports on every frame: the position is read once a second instead
 * (`progress.ts`).
 */
const OBSERVED = ['pause', 'duration', 'eof-reached', 'seeking', 'idle-active', 'track-list', 'speed'] as const;

/**
 * While a launch is under way, what cuts it short: mpv exiting, a failed spawn, an abort. mpv
 * going away meanwhile is the launch's failure to report, not the end of a playback.
 */
export class LaunchGuard {
  private reject: ((error: unknown) => void) | undefined;

  /** Whether a launch is under way. */
  get running(): boolean {
    return this.reject !== undefined;
  }

  /** Cuts the launch under way short with `error` (nothing happens when there is none). */
  fail(error: unknown): void {
    this.reject?.(error);
  }

  /** A launch begins: the promise rejects when it is cut short (and is never left unhandled). */
  watch(): Promise<never> {
    const failed = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    failed.catch(() => undefined);
    return failed;
  }

  /** The launch is over, one way or the other. */
  done(): void {
    this.reject = undefined;
  }
}

/**
 * Checks mpv's version, configures it over IPC and loads the entries (the first replaces, the
 * rest append). Resolves with mpv's playlist entry id for each entry (undefined where loadfile
 * did not say); rejects with the error the user should read (see {@link MpvProcess.launchError})
 * or the abort reason. Bounded by `launchTimeoutMs`.
 */
export async function startMpv(
  mpv: MpvProcess,
  ipc: MpvIpc,
  entries: readonly PlayerEntry[],
  options: PlayerOptions,
  guard: LaunchGuard,
): Promise<Array<number | undefined>> {
  const deadline = Date.now() + (options.launchTimeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS);
  const remaining = () => ({ timeoutMs: Math.max(1, deadline - Date.now()) });
  const failed = guard.watch();
  const onAbort = () => guard.fail(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const step = <T>(work: Promise<T>): Promise<T> => Promise.race([work, failed]);
  try {
    if (!mpv.spawned) await failed; // spawn failed: 'error' follows on the next tick
    const version = String(await step(ipc.getProperty('mpv-version', remaining())));
    if (isMpvTooOld(version)) throw new MpvTooOldError(mpv.mpvPath, version);
    log.debug('mpv is ready', { pid: mpv.pid, version });
    const setup: unknown[][] = [['request_log_messages', 'warn']];
    if (options.httpHeaders !== undefined && options.httpHeaders.length > 0) setup.push(['set_property', 'http-header-fields', options.httpHeaders]);
    // mpv runs them in order; sending them together saves round trips.
    await step(
      Promise.all([
        ...setup.map((command) => ipc.command(command, remaining())),
        ...OBSERVED.map((name) => ipc.observe(name, remaining())),
      ]),
    );
    const loads = entries.map((entry, index) => ipc.command(loadCommand(entry, index === 0 ? 'replace' : 'append'), remaining()));
    const loaded = await step(Promise.all(loads));
    return loaded.map((reply) => {
      const entryId = (reply as { playlist_entry_id?: unknown } | undefined)?.playlist_entry_id;
      return typeof entryId === 'number' ? entryId : undefined;
    });
  } catch (error) {
    throw await mpv.launchError(error, options.signal);
  } finally {
    guard.done();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
