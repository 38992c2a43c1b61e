/**
 * The demo Plex server's state, shared by every handler of both halves (the plex.tv half and the
 * PMS half).
 */
import type { DemoClip } from '../../demo-kit/index.js';
import type { PlexAccounts } from './accounts.js';
import type { PlexLibrary } from './library.js';
import type { SelectionStore } from './media.js';
import type { Pins } from './pins.js';
import type { PlexRules } from './rules.js';
import type { Sessions } from './sessions.js';
import type { WatchStore } from './watch-state.js';

/** Whether each connection resources lists for the demo server leads to it (PLEX.md §2.4). */
export interface ConnectionReachability {
  /** The `local` connection; unreachable by default, as a LAN address seen from elsewhere. */
  local: boolean;
  /** The remote (direct, not relay) connection; reachable by default. */
  remote: boolean;
  /** The `relay` connection (a forwarder on its own port); reachable by default. */
  relay: boolean;
}

/** The state every handler reads. */
export interface PlexDemoState {
  machineIdentifier: string;
  friendlyName: string;
  /** The PMS version the demo presents itself as. */
  version: string;
  library: PlexLibrary;
  accounts: PlexAccounts;
  watch: WatchStore;
  sessions: Sessions;
  selections: SelectionStore;
  pins: Pins;
  clip: DemoClip;
  /** The rules in force (switchable while running). */
  rules: PlexRules;
  /** The PMS half's clock (its clock-offset fault applies). */
  now(): Date;
  /** The plex.tv half's clock (PIN expiry). */
  plexTvNow(): Date;
  /** The PMS half's base URL. */
  pmsUrl(): string;
  /** The URIs resources lists for the demo server, by kind. */
  connectionUris(): { local: string; remote: string; relay: string; deadPort: number };
  reachability: ConnectionReachability;
}

/** The server's clock in Plex's unit for `lastViewedAt`/`viewedAt`: epoch seconds (PLEX.md §1). */
export function nowSeconds(state: PlexDemoState): number {
  return Math.floor(state.now().getTime() / 1000);
}
