import type { Route } from '../router.js';
import { browseRoutes } from './browse.js';
import { playbackRoutes } from './playback.js';
import { playstateRoutes } from './playstate.js';
import { systemRoutes } from './system.js';
import { userRoutes } from './users.js';

/** Every Jellyfin endpoint the demo server answers. */
export const ROUTES: readonly Route[] = [...systemRoutes, ...userRoutes, ...browseRoutes, ...playbackRoutes, ...playstateRoutes];
