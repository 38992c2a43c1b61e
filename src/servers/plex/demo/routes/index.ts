/** Every route of the demo Plex server, by half. */
import type { PlexRoute } from '../router.js';
import { browseRoutes } from './browse.js';
import { mediaRoutes } from './media.js';
import { playstateRoutes } from './playstate.js';
import { plexTvRoutes } from './plex-tv.js';

/** The PMS half's endpoints (PLEX.md §7.1 "PMS half"). */
export const PMS_ROUTES: readonly PlexRoute[] = [...browseRoutes, ...mediaRoutes, ...playstateRoutes];

/** The plex.tv half's endpoints (PLEX.md §7.1 "plex.tv half"); each checks its own token, as plex.tv answers JSON errors. */
export const PLEX_TV_ROUTES: readonly PlexRoute[] = plexTvRoutes;
