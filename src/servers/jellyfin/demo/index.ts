/**
 * A Jellyfin-compatible server for tests, `reelterm --demo` and benchmarks: a generated library,
 * Jellyfin's playstate rules and client sessions (automatic progress, the idle stop, a second
 * device), and fault switches (offline, 5xx, stalls, resets, bad replies).
 */
export { startDemoServer, type DemoServer, type DemoServerOptions } from './server.js';
export type { DemoFaults, FaultSnapshot, MalformedKind, StallOptions, StatusFaultOptions } from './faults.js';
export type { JournalEntry } from './journal.js';
export type { DemoItem, DemoItemType, DemoLibrary, LibraryShape, TitleHook, TitleRequest } from './library.js';
export type { DemoVersion } from './playstate.js';
export type { StoredUserData } from './user-data.js';
export type { DemoUser, DemoUserOptions } from './auth.js';
export type { DemoDevice, DemoDeviceOptions } from './device.js';
export type { IdleStop, NowPlaying, SessionTimings } from './sessions.js';
export { applyFaultCommand, type DeviceCommand, type FaultCommand, type QuickConnectApprover, type SessionsCommand } from './admin.js';
export { SEGMENT_SECONDS } from './media-segments.js';
export { seededRandom } from './library.js';
export { EMBEDDED_INDEX_OFFSET, EXTERNAL_SUBTITLE_INDEX } from './media-streams.js';
export { ROUTES } from './routes/index.js';
export { CLIP_RUNTIME_TICKS, locateClip } from './clip.js';
