import type { Settings } from '../config/settings.js';
import { Player } from '../player/index.js';
import type { LaunchPlayer } from './services.js';

/**
 * Starts mpv for the TUI with the user's mpv settings (`mpvPath`, `mpvArgs`, and their own
 * mpv.conf). The token reaches mpv only as an HTTP header over IPC; certificates are checked
 * unless the user chose `--insecure`.
 */
export function launchPlayer(settings: Settings): LaunchPlayer {
  return async ({ url, title, startSeconds, httpHeaders }) => {
    const player = await Player.launch({
      mpvPath: settings.mpvPath,
      extraArgs: settings.mpvArgs,
      url,
      title,
      startSeconds,
      httpHeaders,
      tlsVerify: !settings.insecure,
    });
    return {
      subscribe: (listener) => player.subscribe(listener),
      togglePause: () => player.togglePause(),
      seek: (seconds, mode) => player.seek(seconds, mode),
      stop: async () => {
        await player.stop();
      },
    };
  };
}
