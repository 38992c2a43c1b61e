import type { Settings } from '../config/settings.js';
import type { LaunchPlayer } from './services.js';

/** Starts mpv for the TUI, with the user's mpv settings. */
export function launchPlayer(_settings: Settings): LaunchPlayer {
  return () => Promise.reject(new Error('playback is not wired yet'));
}
