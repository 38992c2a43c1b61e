/**
 * The demo Plex server's routes and how a request finds one: path templates in the OpenAPI
 * document's spelling (`/library/metadata/{ids}`), literal segments before parameters, HEAD
 * answered by a GET route.
 */
import type { PlexDemoState } from './context.js';
import type { Reply } from './reply.js';
import { HttpError, type PlexRequest } from './request.js';

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
export interface RouteMatch {
  route: PlexRoute;
  params: Record<string, string>;
}

interface Compiled {
  route: PlexRoute;
  pattern: RegExp;
  names: string[];
  /** Per segment: 0 literal, 1 literal with a parameter (`{streamId}.{ext}`), 2 parameter. */
  ranks: number[];
}

function compile(route: PlexRoute): Compiled {
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
  const ranks = route.path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (!segment.includes('{') ? 0 : /^\{[^}]+\}$/.test(segment) ? 2 : 1));
  return { route, pattern: new RegExp(`^${source}/?$`), names, ranks };
}

/** Literal segments win over parameters (`/library/sections/all` before `/library/sections/{sectionId}`). */
function byPrecedence(a: Compiled, b: Compiled): number {
  for (let i = 0; i < Math.max(a.ranks.length, b.ranks.length); i += 1) {
    const difference = (a.ranks[i] ?? 0) - (b.ranks[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Finds the route for a method and path. */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly PlexRoute[]) {
    this.compiled = routes.map(compile).sort(byPrecedence);
  }

  /** The matching route, `'method-not-allowed'` when only the method differs, or undefined. */
  match(method: string, path: string): RouteMatch | 'method-not-allowed' | undefined {
    const wanted = method === 'HEAD' ? 'GET' : method;
    let pathMatched = false;
    for (const { route, pattern, names } of this.compiled) {
      const found = pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (!route.methods.includes(wanted as Method)) continue;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        try {
          params[name] = decodeURIComponent(found[index + 1] ?? '');
        } catch {
          throw new HttpError(400, `bad path segment for ${name}`);
        }
      });
      return { route, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}
