import { hostname } from 'node:os';
import type { AppPaths } from '../config/paths.js';
import { CredentialsStore, type Credentials } from '../config/credentials.js';
import { loadSettings, type EditableSetting, type Settings } from '../config/settings.js';
import { DEFAULT_KIND, openServer, type ConnectOptions, type MediaServer } from '../servers/index.js';
import { readQueueFile } from '../sync/queue-file.js';
import type { OpAccount } from '../sync/op.js';
import { VERSION } from '../version.js';

/** What every command that talks to a server needs: paths, settings, the saved sign-in. */
export interface AppContext {
  paths: AppPaths;
  settings: Settings;
  credentials: CredentialsStore;
  /** Messages for the user (a corrupt settings file moved aside, an invalid setting). */
  notices: string[];
  /** Where the settings live (`config.json`). */
  settingsPath: string;
  /** Validates a setting, writes it to `config.json` and applies it to `settings`; returns the problem, if any. */
  saveSetting<K extends EditableSetting>(key: K, value: Settings[K]): string | undefined;
}

/** Loads settings and credentials; `--insecure` and `--mpv-path` from the command line override the settings. */
export async function loadContext(paths: AppPaths, flags: { insecure?: boolean; mpvPath?: string } = {}): Promise<AppContext> {
  const notices: string[] = [];
  const loaded = await loadSettings(paths.configDir, notices);
  const credentials = await CredentialsStore.open(paths.configDir, notices);
  const overrides = { insecure: flags.insecure === true || loaded.settings.insecure, ...(flags.mpvPath ? { mpvPath: flags.mpvPath } : {}) };
  const settings: Settings = { ...loaded.settings, ...overrides };
  return {
    paths,
    settings,
    credentials,
    notices,
    settingsPath: loaded.path,
    saveSetting(key, value) {
      const problem = loaded.save(key, value);
      if (problem === undefined) settings[key] = value;
      return problem;
    },
  };
}

/** Where a kind's account service is (plex.tv): `REELTERM_PLEX_TV_URL` points tests and the demo at one of their own. */
export function accountServiceUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.REELTERM_PLEX_TV_URL?.trim();
  return url ? url : undefined;
}

/** How this installation reaches `serverUrl` (DeviceId from settings), with a saved sign-in's token if given. */
export function connectOptions(context: Pick<AppContext, 'settings'>, serverUrl: string, signIn?: { token?: string; userId?: string }): ConnectOptions {
  return {
    serverUrl,
    deviceId: context.settings.deviceId,
    deviceName: hostname() || 'terminal',
    clientVersion: VERSION,
    timeoutMs: context.settings.requestTimeoutSeconds * 1000,
    insecure: context.settings.insecure,
    ...(accountServiceUrl() !== undefined ? { accountServiceUrl: accountServiceUrl()! } : {}),
    ...(signIn?.token !== undefined ? { token: signIn.token } : {}),
    ...(signIn?.userId !== undefined ? { userId: signIn.userId } : {}),
  };
}

/** The server a sign-in is on (of the kind it records), or one about to be signed in to. */
export function makeServer(context: Pick<AppContext, 'settings'>, serverUrl: string, signIn?: { kind?: string; token?: string; userId?: string }): MediaServer {
  return openServer(signIn?.kind, connectOptions(context, serverUrl, signIn));
}

/**
 * The account a sign-in's updates belong to in the queue. The demo server listens on a new
 * port at each start, and its queue is its own: its account is named, not addressed.
 */
export function accountOf(credentials: Pick<Credentials, 'kind' | 'server' | 'serverId' | 'userId' | 'userName'>, demo = false): OpAccount {
  return {
    kind: credentials.kind ?? DEFAULT_KIND,
    ...(credentials.serverId !== undefined ? { serverId: credentials.serverId } : {}),
    server: demo ? 'the demo server' : credentials.server,
    userId: credentials.userId,
    userName: credentials.userName,
  };
}

/** How many updates wait in the queue file (0 when it is missing or unreadable). */
export async function pendingCount(queueFile: string): Promise<number> {
  const read = await readQueueFile(queueFile);
  return read.status === 'ok' ? read.data.ops.length : 0;
}

/** Notices as lines for stderr. */
export function noticeText(notices: readonly string[]): string {
  return notices.map((notice) => `${notice}\n`).join('');
}
