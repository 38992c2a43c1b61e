/** How to get mpv, appended to every "no usable mpv" message. */
export const MPV_INSTALL_HINT =
  'Install it: `sudo apt install mpv` (Debian/Ubuntu), `brew install mpv` (macOS), or set mpvPath in settings.';

/** The oldest mpv reelterm drives: 0.33 brought `--input-ipc-client` and `file_error` on end-file. */
export const MIN_MPV_VERSION: readonly [number, number] = [0, 33];

/** The mpv program could not be found (spawn gave ENOENT). */
export class MpvNotFoundError extends Error {
  override readonly name = 'MpvNotFoundError';
  constructor(readonly mpvPath: string) {
    super(`mpv is not installed or not on PATH (looked for '${mpvPath}'). ${MPV_INSTALL_HINT}`);
  }
}

/** The mpv found is older than {@link MIN_MPV_VERSION}. `version` is what mpv reported, if it could say. */
export class MpvTooOldError extends Error {
  override readonly name = 'MpvTooOldError';
  constructor(
    readonly mpvPath: string,
    readonly version: string | undefined,
  ) {
    const found = version !== undefined ? `${version} ('${mpvPath}')` : `'${mpvPath}' (it does not know --input-ipc-client)`;
    super(`mpv is too old: found ${found}, reelterm needs mpv ${MIN_MPV_VERSION.join('.')} or newer. ${MPV_INSTALL_HINT}`);
  }
}

/** mpv started but did not become ready: it exited, did not answer in time, or refused the setup. */
export class MpvStartError extends Error {
  override readonly name = 'MpvStartError';
  constructor(
    message: string,
    readonly details: { exitCode?: number | null; signal?: NodeJS.Signals | null; output?: string } = {},
  ) {
    super(message);
  }
}

/**
 * The major, minor and patch numbers in mpv's `mpv-version` ("mpv 0.35.1", "mpv v0.38.0-dirty",
 * "mpv 0.35.1+ds1"), or undefined for builds that do not say ("mpv git-2023-…").
 */
export function parseMpvVersion(text: string): [number, number, number] | undefined {
  const match = /\bv?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** True when `version` is older than {@link MIN_MPV_VERSION}; unknown versions pass. */
export function isMpvTooOld(version: string): boolean {
  const parsed = parseMpvVersion(version);
  if (parsed === undefined) return false;
  const [major, minor] = parsed;
  return major < MIN_MPV_VERSION[0] || (major === MIN_MPV_VERSION[0] && minor < MIN_MPV_VERSION[1]);
}
