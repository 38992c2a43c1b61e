import { randomUUID } from 'node:crypto';
import type Conf from 'conf';
import { openConfStore } from './store.js';

/** User settings, in `config.json`. */
export interface Settings {
  /** Identifies this installation to the server; generated once and kept. */
  deviceId: string;
  /** How long leaving the player or quitting waits for sync, in seconds. */
  syncWaitSeconds: number;
  /** Request timeout, in seconds. */
  requestTimeoutSeconds: number;
  /** Accept a server certificate that is not trusted (self-signed). */
  insecure: boolean;
  /** The mpv executable (a name on PATH or a path). */
  mpvPath: string;
  /** Extra mpv arguments, after reelterm's own (the user's mpv.conf applies as well). */
  mpvArgs: string[];
}

const DEFAULTS: Omit<Settings, 'deviceId'> = { syncWaitSeconds: 3, requestTimeoutSeconds: 10, insecure: false, mpvPath: 'mpv', mpvArgs: [] };

/** Checks one setting; returns the message naming the key, or undefined when valid. */
function problem(key: keyof Settings, value: unknown): string | undefined {
  switch (key) {
    case 'deviceId':
      return typeof value === 'string' && value.length > 0 ? undefined : 'must be a non-empty string';
    case 'syncWaitSeconds':
    case 'requestTimeoutSeconds':
      return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 600 ? undefined : 'must be a number of seconds between 0 and 600';
    case 'insecure':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'mpvPath':
      return typeof value === 'string' && value.trim() !== '' ? undefined : 'must be the mpv program, e.g. "mpv" or "/usr/bin/mpv"';
    case 'mpvArgs':
      return Array.isArray(value) && value.every((arg) => typeof arg === 'string') ? undefined : 'must be a list of strings, e.g. ["--hwdec=auto"]';
  }
}

/**
 * Loads settings, filling defaults and creating the device id on first run. An invalid value
 * is reported by key in `notices` and its default is used; the file is not rewritten.
 */
export async function loadSettings(configDir: string, notices: string[]): Promise<{ settings: Settings; path: string }> {
  const conf: Conf<Record<string, unknown>> = await openConfStore(configDir, 'config', notices);
  if (typeof conf.get('deviceId') !== 'string') conf.set('deviceId', randomUUID().replaceAll('-', ''));
  const settings = { ...DEFAULTS, deviceId: '' } as Settings;
  for (const key of Object.keys({ ...DEFAULTS, deviceId: '' }) as Array<keyof Settings>) {
    const value = conf.get(key);
    if (value === undefined) continue;
    const why = problem(key, value);
    if (why === undefined) (settings as unknown as Record<string, unknown>)[key] = value;
    else notices.push(`${conf.path}: "${key}" ${why}; using ${JSON.stringify(DEFAULTS[key as keyof typeof DEFAULTS])}.`);
  }
  return { settings, path: conf.path };
}
