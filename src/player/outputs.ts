import type { MpvTrack } from './track-list.js';

/** Whether mpv can be seen and heard: false for one it has no device for. */
export interface PlayerOutputs {
  window: boolean;
  sound: boolean;
}

/** What mpv reported once the first file started playing. */
export interface OutputFacts {
  tracks: readonly MpvTrack[];
  /** mpv's `current-vo`, undefined when it has no video output. */
  videoOutput: string | undefined;
  /** mpv's `current-ao`, undefined when it has no audio output. */
  audioOutput: string | undefined;
  /** mpv logged that it could not open a sound device. */
  audioFailed: boolean;
  /** mpv's environment and platform: whether a display server is there to put a window on. */
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

/**
 * Video outputs that draw without a display server (a Linux console through DRM, the terminal
 * itself, files), or that the user chose to see nothing with (`null`).
 */
const NO_DISPLAY_SERVER_NEEDED = new Set(['gpu', 'gpu-next', 'drm', 'null', 'image', 'tct', 'caca', 'sixel', 'kitty', 'libmpv']);

/** Whether `env` has a display server to open a window on (macOS and Windows always do). */
function hasDisplay(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY) || Boolean(env.WAYLAND_DISPLAY);
}

/**
 * Whether the viewer can see and hear the file. No window: the file has a picture but mpv has no
 * video output, or it opened one that needs a display server where there is none (SDL, for one,
 * then draws off screen). No sound: the file has sound but mpv could not open a device for it.
 */
export function playerOutputs(facts: OutputFacts): PlayerOutputs {
  const picture = facts.tracks.some((track) => track.type === 'video' && track.albumArt !== true);
  const sound = facts.tracks.some((track) => track.type === 'audio');
  const vo = facts.videoOutput;
  const unseen = vo === undefined || (!NO_DISPLAY_SERVER_NEEDED.has(vo) && !hasDisplay(facts.env, facts.platform));
  return {
    window: !(picture && unseen),
    sound: !(sound && facts.audioOutput === undefined && facts.audioFailed),
  };
}
