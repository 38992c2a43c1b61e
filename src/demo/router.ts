import type { DemoRequest, DemoState } from './context.js';
import type { Reply } from './reply.js';
import { BadRequest } from './request.js';

/** An HTTP method the demo server routes. */
export type Method = 'GET' | 'HEAD' | 'POST' | 'DELETE';

/** One endpoint: methods, a Jellyfin path template (`/Items/{itemId}`), and its handler. */
export interface Route {
  methods: readonly Method[];
  path: string;
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
  return { route, pattern: new RegExp(`^${source}/?$`, 'i'), names };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`The path segment '${segment}' is not valid.`);
  }
}

/** Finds the route for a method and path, case-insensitively as ASP.NET routing does. */
export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map(compile);
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
