import envPaths from 'env-paths';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Where reelterm keeps its files. Every path is absolute. */
export interface AppPaths {
  /** Settings and credentials (XDG config dir). */
  configDir: string;
  /** The sync queue and its lock (XDG data dir). */
  dataDir: string;
  /** Logs (XDG state dir). */
  stateDir: string;
  /** Private runtime files such as an mpv socket, when one is needed (XDG runtime dir). */
  runtimeDir: string;
  queueFile: string;
  lockFile: string;
  logFile: string;
}

/**
 * Resolves reelterm's directories: `REELTERM_HOME` puts everything under one folder
 * (tests, portable installs); otherwise the XDG base directories apply.
 */
export function resolvePaths(env: NodeJS.ProcessEnv = process.env): AppPaths {
  const home = env.REELTERM_HOME;
  let configDir: string;
  let dataDir: string;
  let stateDir: string;
  let runtimeDir: string;
  if (home !== undefined && home !== '') {
    configDir = join(home, 'config');
    dataDir = join(home, 'data');
    stateDir = join(home, 'state');
    runtimeDir = join(home, 'run');
  } else {
    const xdg = envPaths('reelterm', { suffix: '' });
    configDir = xdg.config;
    dataDir = xdg.data;
    stateDir = xdg.log;
    const runtimeBase = env.XDG_RUNTIME_DIR;
    runtimeDir = runtimeBase ? join(runtimeBase, 'reelterm') : join(tmpdir(), `reelterm-${userInfo().uid}`);
  }
  return {
    configDir,
    dataDir,
    stateDir,
    runtimeDir,
    queueFile: join(dataDir, 'queue.json'),
    lockFile: join(dataDir, 'queue.lock'),
    logFile: join(stateDir, 'reelterm.log'),
  };
}

/** Demo mode keeps its own queue (under `<data>/demo`) so demo updates never mix with a real server's. */
export function demoPaths(paths: AppPaths): AppPaths {
  const dataDir = join(paths.dataDir, 'demo');
  return { ...paths, dataDir, queueFile: join(dataDir, 'queue.json'), lockFile: join(dataDir, 'queue.lock') };
}
