/**
 * The watch-state rules the demo Plex server follows (PLEX.md §7.2, profile "pms-1.43"), each a
 * switch a test can flip to show a client copes with the other behaviour too.
 */
import type { PlexItem } from './library.js';
import { markersOf } from './media.js';

/** What the server does with the reports and marks it receives. */
export interface PlexRules {
  /** The behaviour profile these switches start from; only "pms-1.43" exists. */
  profile: 'pms-1.43';
  /** `LibraryVideoPlayedThreshold` in percent (default 90, PLEX.md §0.6). */
  threshold: number;
  /**
   * `LibraryVideoPlayedAtBehaviour`: 0 at the threshold, 1 at the final credits marker, 2 at the
   * first credits marker, 3 (default) the earliest of the threshold and the first credits marker
   * (PLEX.md §0.6; items without a credits marker use the threshold).
   */
  playedAtBehaviour: 0 | 1 | 2 | 3;
  /** Positions at or below this are ignored (60,000 ms, PLEX.md §0.4). */
  positionFloorMs: number;
  /**
   * Watched by playback needs a report below the completion point and then one at or above it
   * in the same session (PLEX.md §0.5). `false`: any report at or above it marks the item watched.
   */
  requireCrossing: boolean;
  /** `time > duration` on a timeline: 'reject' answers 400 (PLEX.md §5.1), 'clamp' takes the duration. */
  timeBeyondDuration: 'reject' | 'clamp';
  /**
   * A timeline without `X-Plex-Client-Identifier`: 'ignore' answers 200 and changes nothing (what
   * watchstate saw, PLEX.md §5.1); 'reject' answers 400 (the spec marks it required).
   */
  missingClientIdentifier: 'ignore' | 'reject';
  /**
   * An `offline=1` timeline whose `updated` is older than the item's `lastViewedAt`: 'discard'
   * (Plezy's claim, PLEX.md §0.9 and §7.2.4) or 'accept'.
   */
  staleOfflineReports: 'discard' | 'accept';
  /** `/:/scrobble`: 'every-call' adds 1 each time (PLEX.md §0.2); 'once' leaves a watched item alone. */
  scrobble: 'every-call' | 'once';
  /** `/:/progress` from a managed user: 'refuse' answers 401 (PLEX.md §5.3), 'allow' accepts it. */
  progressForManagedUsers: 'refuse' | 'allow';
  /**
   * Whether the PMS half also accepts an account's plex.tv token. Off by default, so a client
   * must use the server's own `accessToken` from resources (PLEX.md §0.10, §2.4).
   */
  acceptAccountToken: boolean;
}

/** The defaults: PMS 1.43 as PLEX.md §7.2 describes it. */
export const PMS_1_43: Readonly<PlexRules> = {
  profile: 'pms-1.43',
  threshold: 90,
  playedAtBehaviour: 3,
  positionFloorMs: 60_000,
  requireCrossing: true,
  timeBeyondDuration: 'reject',
  missingClientIdentifier: 'ignore',
  staleOfflineReports: 'discard',
  scrobble: 'every-call',
  progressForManagedUsers: 'refuse',
  acceptAccountToken: false,
};

/** Checks a rules change, so a typo in a test fails loudly instead of switching nothing. */
export function checkRules(rules: PlexRules): PlexRules {
  if (!(rules.threshold > 0 && rules.threshold <= 100)) throw new Error(`threshold must be a percentage in (0, 100], not ${rules.threshold}`);
  if (![0, 1, 2, 3].includes(rules.playedAtBehaviour)) throw new Error(`playedAtBehaviour must be 0, 1, 2 or 3, not ${rules.playedAtBehaviour}`);
  if (!(rules.positionFloorMs >= 0)) throw new Error('positionFloorMs must be 0 or more');
  return rules;
}

/**
 * Where playback counts as finished, in ms: the threshold share of the duration, or a credits
 * marker's start, by `playedAtBehaviour` (PLEX.md §0.6, §5.1 "Completion point").
 */
export function completionPoint(rules: PlexRules, item: PlexItem): number {
  const duration = item.duration ?? 0;
  const byThreshold = Math.floor((duration * rules.threshold) / 100);
  const credits = markersOf(item).filter((marker) => marker.type === 'credits');
  const first = credits[0]?.startTimeOffset;
  const final = credits.find((marker) => marker.final)?.startTimeOffset;
  switch (rules.playedAtBehaviour) {
    case 0:
      return byThreshold;
    case 1:
      return final ?? byThreshold;
    case 2:
      return first ?? byThreshold;
    case 3:
      return first === undefined ? byThreshold : Math.min(byThreshold, first);
  }
}
