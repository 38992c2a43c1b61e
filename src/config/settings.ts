import { randomUUID } from 'node:crypto';
import { JsonFileStore } from './store.js';

/** What to do when an intro, recap or credits segment plays. */
export type SkipSegmentsMode = 'ask' | 'auto' | 'off';

/** Segment types Jellyfin knows (`MediaSegmentType`). */
export const SEGMENT_TYPES = ['Intro', 'Recap', 'Outro', 'Preview', 'Commercial'] as const;

/** User settings, in `config.json`. */
export interface Settings {
  /** Identifies this installation to the server; generated once and kept. */
  deviceId: string;
  /** How long leaving the player or quitting waits for sync, in seconds. */
  syncWaitSeconds: number;
  /** Request timeout, in seconds. */
  requestTimeoutSeconds: number;
  /** How often progress is reported to the server while playing, in seconds. */
  progressIntervalSeconds: number;
  /** Accept a server certificate that is not trusted (self-signed). */
  insecure: boolean;
  /** Playing an episode queues the episodes after it. */
  continuousPlay: boolean;
  /** Preferred audio languages, most wanted first (`eng`, `fr`…); empty: the server's default. */
  audioLanguages: string[];
  /** Preferred subtitle languages, most wanted first; empty: the server's default (often none). */
  subtitleLanguages: string[];
  /** Skip segments automatically, offer a key to skip them, or neither. */
  skipSegments: SkipSegmentsMode;
  /** Which segment types `skipSegments` applies to. */
  skipSegmentTypes: string[];
  /** The mpv executable (a name on PATH or a path). */
  mpvPath: string;
  /** Extra mpv arguments, after reelterm's own (the user's mpv.conf applies as well). */
  mpvArgs: string[];
}

/** The settings a user edits (everything but the device id). */
export type EditableSetting = Exclude<keyof Settings, 'deviceId'>;

/** Defaults, in the order the settings screen lists them. */
export const DEFAULT_SETTINGS: Readonly<Omit<Settings, 'deviceId'>> = {
  continuousPlay: true,
  audioLanguages: [],
  subtitleLanguages: [],
  skipSegments: 'ask',
  skipSegmentTypes: ['Intro', 'Recap', 'Outro'],
  progressIntervalSeconds: 10,
  syncWaitSeconds: 3,
  requestTimeoutSeconds: 10,
  mpvPath: 'mpv',
  mpvArgs: [],
  insecure: false,
};

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Checks one setting; returns what is wrong (naming what is expected), or undefined when valid. */
export function settingProblem(key: keyof Settings, value: unknown): string | undefined {
  switch (key) {
    case 'deviceId':
      return typeof value === 'string' && value.length > 0 ? undefined : 'must be a non-empty string';
    case 'syncWaitSeconds':
    case 'requestTimeoutSeconds':
      return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 600 ? undefined : 'must be a number of seconds between 0 and 600';
    case 'progressIntervalSeconds':
      return typeof value === 'number' && Number.isFinite(value) && value >= 1 && value <= 600 ? undefined : 'must be a number of seconds between 1 and 600';
    case 'insecure':
    case 'continuousPlay':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'audioLanguages':
    case 'subtitleLanguages':
      return isStringList(value) && value.every((code) => /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/i.test(code)) ? undefined : 'must be a list of language codes, e.g. ["eng", "fr"]';
    case 'skipSegments':
      return value === 'ask' || value === 'auto' || value === 'off' ? undefined : 'must be "ask", "auto" or "off"';
    case 'skipSegmentTypes':
      return isStringList(value) && value.every((type) => (SEGMENT_TYPES as readonly string[]).includes(type)) ? undefined : `must be a list of ${SEGMENT_TYPES.map((type) => `"${type}"`).join(', ')}`;
    case 'mpvPath':
      return typeof value === 'string' && value.trim() !== '' ? undefined : 'must be the mpv program, e.g. "mpv" or "/usr/bin/mpv"';
    case 'mpvArgs':
      return isStringList(value) ? undefined : 'must be a list of strings, e.g. ["--hwdec=auto"]';
  }
}

/** Settings as loaded, and how to change one (validated, written to `config.json` at once). */
export interface LoadedSettings {
  /** The live settings: `save` updates this object, so readers see changes at once. */
  settings: Settings;
  path: string;
  /** Validates and saves one setting; returns the problem (nothing is saved then), or undefined. */
  save<K extends EditableSetting>(key: K, value: Settings[K]): string | undefined;
}

/**
 * Loads settings, filling defaults and creating the device id on first run. An invalid value
 * is reported by key in `notices` and its default is used; the file is not rewritten.
 */
export async function loadSettings(configDir: string, notices: string[]): Promise<LoadedSettings> {
  const file = JsonFileStore.open(configDir, 'config', notices);
  let stored = file.read();
  if (typeof stored.deviceId !== 'string') {
    stored = { ...stored, deviceId: randomUUID().replaceAll('-', '') };
    file.write(stored);
  }
  const settings = { ...structuredClone(DEFAULT_SETTINGS), deviceId: '' } as Settings;
  for (const key of Object.keys(settings) as Array<keyof Settings>) {
    const value = stored[key];
    if (value === undefined) continue;
    const why = settingProblem(key, value);
    if (why === undefined) (settings as unknown as Record<string, unknown>)[key] = value;
    else notices.push(`${file.path}: "${key}" ${why}; using ${JSON.stringify(DEFAULT_SETTINGS[key as EditableSetting])}.`);
  }
  return {
    settings,
    path: file.path,
    save(key, value) {
      const why = settingProblem(key, value);
      if (why !== undefined) return why;
      // (the file as it is now: another reelterm may have saved a setting of its own meanwhile)
      file.write({ ...file.read(), [key]: value });
      settings[key] = value;
      return undefined;
    },
  };
}
