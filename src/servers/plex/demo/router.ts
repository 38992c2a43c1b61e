/**
 * The demo Plex server's routes and how a request finds one: path templates in the OpenAPI
 * document's spelling (`/library/metadata/{ids}`), literal segments before parameters, HEAD
 * answered by a GET route.
 */
import type { PlexDemoState } from './context.js';
import type { Reply } from './reply.js';
import { HttpError, type PlexRequest } from './request.js';
import { RouteTable, type RouteMatch as KitRouteMatch } from '../../demo-kit/route-table.js';

/** An HTTP method the demo routes (HEAD goes to the GET route). */
export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** One endpoint. */
export interface PlexRoute {
  methods: readonly Method[];
  /** The path template, spelled as Plex's OpenAPI document spells it where it lists the path. */
  path: string;
  /** Served without a token (only `/identity` on PMS, PLEX.md §3; the PIN routes on plex.tv). */
  anonymous?: boolean;
  handle(request: PlexRequest, state: PlexDemoState): Reply | Promise<Reply>;
}

/** A request matched to its route. */
export type RouteMatch = KitRouteMatch<PlexRoute>;

/** Finds the route for a method and path: literal segments before parameters (`/library/sections/all` before `/library/sections/{sectionId}`), HEAD as GET. */
export class Router extends RouteTable<PlexRoute> {
  constructor(routes: readonly PlexRoute[]) {
    super(routes, { badSegment: (name) => new HttpError(400, `bad path segment for ${name}`) });
  }

  override match(method: string, path: string): RouteMatch | 'method-not-allowed' | undefined {
    return super.match(method === 'HEAD' ? 'GET' : method, path);
  }
}
