/**
 * mpv as reelterm's player: one child process per playback, driven over JSON IPC on a
 * socketpair (no socket file), with the token and title sent over IPC, never on argv.
 */
export { Player, type PlayerEndEvent, type PlayerEndReason, type PlayerOptions, type PlayerState } from './player.js';
export { mpvArguments } from './mpv-arguments.js';
export { type MpvTrack } from './track-list.js';
export { MpvIpc, MpvCommandError, MpvIpcClosedError, MpvIpcTimeoutError, type CommandOptions, type MpvEvent, type MpvIpcEvents, type PropertyChange } from './ipc.js';
export { MPV_INSTALL_HINT, MIN_MPV_VERSION, MpvNotFoundError, MpvStartError, MpvTooOldError, isMpvTooOld, parseMpvVersion } from './errors.js';
export { killAllPlayers, livePlayerCount } from './registry.js';
export type { PlayerEvent } from './events.js';
