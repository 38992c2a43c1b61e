/**
 * The kinds' names as a person reads them ("Plex", "Jellyfin"), by the name the queue and the
 * saved sign-in record. Kept apart from ./index.ts so a listing (`reelterm --pending`) can name
 * a kind without loading any server's code.
 */
const LABELS: Record<string, string> = { jellyfin: 'Jellyfin', plex: 'Plex' };

/** "Plex" for `plex`; an unknown kind as it is recorded; nothing when none was (an older queue). */
export function kindLabel(kind: string | undefined): string | undefined {
  if (kind === undefined) return undefined;
  return LABELS[kind] ?? kind;
}
