import type { MpvCommand } from './ipc.js';

/**
 * The arguments reelterm always gives mpv, followed by the user's `extraArgs` (later ones win).
 * Nothing here comes from the server: the URL, title, start and headers go over IPC.
 */
export function mpvArguments(extraArgs: readonly string[] = [], options: { tlsVerify?: boolean } = {}): string[] {
  return [
    // Stay alive after a load error so the IPC can say what went wrong; we quit it ourselves.
    '--idle=yes',
    // IPC over the socketpair on fd 3: no socket file exists for anyone else to open.
    '--input-ipc-client=fd://3',
    // Never read keys from a terminal: the TUI owns it (mpv also runs in its own session, see launch).
    '--input-terminal=no',
    // Only problems reach the output pipe (kept for error messages).
    '--msg-level=all=warn',
    // A Jellyfin stream never needs youtube-dl, and a failing URL must not be handed to it.
    '--ytdl=no',
    // The server owns the resume point; mpv's own watch-later files must not override it.
    '--resume-playback=no',
    // mpv does not check certificates by default, and the stream request carries the token.
    `--tls-verify=${options.tlsVerify === false ? 'no' : 'yes'}`,
    ...extraArgs,
  ];
}

/** Variables of reelterm's own that mpv (and whatever it runs: scripts, hooks) must never see. */
const SECRET_VARIABLES = ['REELTERM_PASSWORD'];

/** A copy of `env` without reelterm's secrets (the password `login` may read from the environment). */
export function mpvEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of SECRET_VARIABLES) delete copy[name];
  return copy;
}

/** Format for a start position, as the `start` option wants it (a string; a JSON number is refused). */
function startOption(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

/**
 * `loadfile` with named arguments: per-file options (start, title) apply to that file only,
 * survive commas and quotes, and the call reads the same before and after mpv 0.38 changed
 * the positional signature.
 */
export function loadCommand(entry: { url: string; title: string; startSeconds?: number }, flags: 'replace' | 'append'): MpvCommand {
  const options: Record<string, string> = { 'force-media-title': entry.title };
  if (entry.startSeconds !== undefined && entry.startSeconds > 0) options.start = startOption(entry.startSeconds);
  return { name: 'loadfile', url: entry.url, flags, options };
}

