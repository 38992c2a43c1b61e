import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let hooked = false;

/** Remembers a running mpv until it exits, so {@link killAllPlayers} can end it. */
export function trackPlayerProcess(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!hooked) {
    hooked = true;
    process.on('exit', killAllPlayers);
  }
}

/**
 * Sends SIGKILL to every mpv this process started that is still running. Synchronous, so it
 * works inside `process.on('exit')` (where it is registered once, on the first launch).
 */
export function killAllPlayers(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** How many mpv processes started here are still running. */
export function livePlayerCount(): number {
  return live.size;
}
