import type { DemoRequest, DemoState } from './context.js';
import type { Reply } from './reply.js';
import { BadRequest } from './request.js';

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
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
  /** Per path segment: 0 literal, 1 literal with a parameter (`stream.{container}`), 2 parameter. */
  ranks: number[];
}

function segmentRanks(path: string): number[] {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (!segment.includes('{') ? 0 : /^\{[^}]+\}$/.test(segment) ? 2 : 1));
}

/**
 * ASP.NET routing's precedence: where two templates match the same path, the one whose first
 * differing segment is a literal wins over a parameter (`/Items/Latest` before `/Items/{itemId}`),
 * whatever order the routes were declared in.
 */
function byPrecedence(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.ranks.length, b.ranks.length);
  for (let i = 0; i < length; i += 1) {
    const difference = (a.ranks[i] ?? 0) - (b.ranks[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Turns `/Videos/{itemId}/stream.{container}` into a case-insensitive pattern with named parameters. */
function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { route, pattern: new RegExp(`^${source}/?$`, 'i'), names, ranks: segmentRanks(route.path) };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`The path segment '${segment}' is not valid.`);
  }
}

/**
 * Finds the route for a method and path as ASP.NET routing does: case-insensitively (a C client
 * sends `/system/info`, `/users/{id}/views`), literal segments before parameters.
 */
export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    // A stable sort: routes of equal precedence keep their declared order.
    this.compiled = routes.map(compile).sort(byPrecedence);
  }

  /** The matching route, `'method-not-allowed'` when only the method differs, or undefined. */
  match(method: string, path: string): RouteMatch | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const { route, pattern, names } of this.compiled) {
      const found = pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (!route.methods.includes(method as Method)) continue;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        params[name] = decodeSegment(found[index + 1] ?? '');
      });
      return { route, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
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
