import type { Settings } from '../config/settings.js';
import { Player } from '../player/index.js';
import type { LaunchPlayer } from './services.js';

/**
 * Starts mpv for the TUI with the user's mpv settings (`mpvPath`, `mpvArgs`, and their own
 * mpv.conf), read at each start. mpv gets no token: it plays from reelterm's loopback stream
 * proxy, which adds it; certificates are checked unless the user chose `--insecure`.
 */
export function launchPlayer(settings: Settings): LaunchPlayer {
  return async ({ entries, httpHeaders }) => {
    const [first, ...next] = entries;
    if (first === undefined) throw new Error('nothing to play');
    return Player.launch({
      mpvPath: settings.mpvPath,
      extraArgs: settings.mpvArgs,
      ...first,
      next,
      httpHeaders,
      tlsVerify: !settings.insecure,
      // The screen shows whole seconds and progress goes out every 10 s: one tick a second is plenty,
      // and halves the redraws while a film plays.
      tickIntervalMs: 1000,
    });
  };
}
