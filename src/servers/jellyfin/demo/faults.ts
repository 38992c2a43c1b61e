/**
 * The Jellyfin demo's fault switches: the demo kit's (`src/servers/demo-kit/faults.ts`), which
 * the Plex demo shares. The server gives them its accounts (for `expireTokens`) and treats
 * `/System/Ping` as the probe a status fault spares unless asked.
 */
export { FaultInjector, type DemoFaults, type FaultPlan, type FaultSnapshot, type Listener, type MalformedKind, type StallOptions, type StatusFaultOptions } from '../../demo-kit/faults.js';
