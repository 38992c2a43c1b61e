import type { Route } from '../router.js';
import { browseRoutes } from './browse.js';
import { mediaSegmentRoutes } from './media-segments.js';
import { playbackRoutes } from './playback.js';
import { playstateRoutes } from './playstate.js';
import { quickConnectRoutes } from './quick-connect.js';
import { sessionRoutes } from './sessions.js';
import { subtitleRoutes } from './subtitles.js';
import { systemRoutes } from './system.js';
import { userRoutes } from './users.js';

/** Every Jellyfin endpoint the demo server answers. */
export const ROUTES: readonly Route[] = [
  ...systemRoutes,
  ...userRoutes,
  ...quickConnectRoutes,
  ...browseRoutes,
  ...playbackRoutes,
  ...subtitleRoutes,
  ...mediaSegmentRoutes,
  ...playstateRoutes,
  ...sessionRoutes,
];
