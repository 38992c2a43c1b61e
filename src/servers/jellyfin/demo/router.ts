import type { DemoRequest, DemoState } from './context.js';
import type { Reply } from './reply.js';
import { BadRequest } from './request.js';
import { RouteTable, type RouteMatch as KitRouteMatch } from '../../demo-kit/route-table.js';

/** An HTTP method the demo server routes. */
export type Method = 'GET' | 'HEAD' | 'POST' | 'DELETE';

/**
 * A route Jellyfin still answers but hides from its OpenAPI document (`[Obsolete]` with
 * `[ApiExplorerSettings(IgnoreApi = true)]`): a twin that forwards to a modern route.
 */
export interface LegacyTwin {
  /** The documented route it answers as, e.g. `/UserViews`. */
  modern: string;
  /** The Jellyfin controller method it mirrors, e.g. `UserViewsController.GetUserViewsLegacy`. */
  mirrors: string;
}

/** One endpoint: methods, a Jellyfin path template (`/Items/{itemId}`), and its handler. */
export interface Route {
  methods: readonly Method[];
  path: string;
  /** Set on a legacy twin: served, but absent from the OpenAPI document. */
  legacy?: LegacyTwin;
  /** Served without a token (Jellyfin's anonymous endpoints). */
  anonymous?: boolean;
  /** Whether the emulated server has this endpoint (default yes); without it, it answers 404 like any unknown path. */
  available?(state: DemoState): boolean;
  handle(request: DemoRequest, state: DemoState): Reply | Promise<Reply>;
}

/** A request matched to its route. */
export type RouteMatch = KitRouteMatch<Route>;

/**
 * Finds the route for a method and path as ASP.NET routing does: case-insensitively (a C client
 * sends `/system/info`, `/users/{id}/views`), literal segments before parameters
 * (`/Items/Latest` before `/Items/{itemId}`), whatever order the routes were declared in.
 */
export class Router extends RouteTable<Route> {
  constructor(routes: readonly Route[]) {
    super(routes, { ignoreCase: true, badSegment: (_name, segment) => new BadRequest(`The path segment '${segment}' is not valid.`) });
  }
}

/**
 * A legacy twin of a modern route: the same handler under Jellyfin's older path (or method).
 * A `{userId}` in its path is checked like the modern route's `userId` query parameter
 * (`actingUser`). `overrides` gives a twin that differs, e.g. one that drops a parameter.
 */
export function legacyTwin(modern: Route, path: string, mirrors: string, overrides: Partial<Pick<Route, 'methods' | 'handle'>> = {}): Route {
  const { methods, handle, anonymous, available } = modern;
  return { methods, handle, anonymous, available, ...overrides, path, legacy: { modern: modern.path, mirrors } };
}
