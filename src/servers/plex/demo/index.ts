/**
 * A Plex-compatible server for tests, `reelterm --demo --plex` and benchmarks (PLEX.md §7): a
 * plex.tv half (PIN sign-in, user, resources) and a PMS half (browsing, media, watch state by the
 * "pms-1.43" rules) on their own loopback ports, with the demo kit's fault switches.
 */
export { startPlexDemoServer } from './server.js';
export type { PlexDemoOptions, PlexDemoServer, PlexWatchView } from './types.js';
export type { PlexAccount, PlexAccountOptions } from './accounts.js';
export type { ConnectionReachability } from './context.js';
export { PlexFaults } from './faults.js';
export type { PlexHalf, PlexJournalEntry } from './journal.js';
export { CLIP_DURATION_MS, PlexLibrary, TYPE_NUMBERS, type PlexItem, type PlexItemType, type PlexLibraryShape, type PlexSection } from './library.js';
export { markersOf, STREAM_TYPE, type PlexMarker, type StreamSelection } from './media.js';
export { completionPoint, PMS_1_43, type PlexRules } from './rules.js';
export type { NowPlaying } from './sessions.js';
export type { HistoryRow, WatchState } from './watch-state.js';
export { PLEX_TV_ROUTES, PMS_ROUTES } from './routes/index.js';
export type { PlexRoute } from './router.js';
export type { DemoFaults, FaultSnapshot, MalformedKind, StallOptions, StatusFaultOptions } from '../../demo-kit/index.js';
