/**
 * The demo kit: the pieces both demo servers (Jellyfin's and Plex's) share and nothing else:
 * locating the clip, the fault switches and their admin commands, the request journal, replies
 * and file ranges, a listener that can go offline, seeded randomness. It knows no server kind.
 */
export { besideClip, CLIP_SECONDS, locateClip, type DemoClip } from './clip.js';
export { applyFaultPlan, FaultInjector, type DemoFaults, type FaultPlan, type FaultSnapshot, type Listener, type MalformedKind, type StallOptions, type StatusFaultOptions, type TokenRevoker } from './faults.js';
export { applyFaultCommand, optionalNumber, type FaultCommand } from './fault-commands.js';
export { BoundedJournal, REDACTED } from './journal.js';
export { fileReply, parseRange, writeReply, type Reply } from './reply.js';
export { startListener, type DemoListener } from './listener.js';
export { seededRandom } from './random.js';
