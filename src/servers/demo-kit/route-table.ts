/**
 * How a demo server finds the route for a request: path templates (`/Items/{itemId}`,
 * `/library/streams/{id}.{ext}`) compiled once, literal segments before parameters whatever
 * the order they were declared in, and "method not allowed" told apart from "no such path".
 */

/** What the table needs of a route: its methods and path template. */
export interface RouteShape {
  methods: readonly string[];
  path: string;
}

/** A request matched to its route, with the template's parameters decoded. */
export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

interface Compiled<R> {
  route: R;
  pattern: RegExp;
  names: string[];
  /** Per path segment: 0 literal, 1 literal with a parameter (`stream.{container}`), 2 parameter. */
  ranks: number[];
}

export interface RouteTableOptions {
  /** Paths match whatever their case (ASP.NET's routing, for Jellyfin). */
  ignoreCase?: boolean;
  /** A segment that cannot be decoded: the error the server answers with. */
  badSegment(name: string, segment: string): Error;
}

function compile<R extends RouteShape>(route: R, ignoreCase: boolean): Compiled<R> {
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
  return { route, pattern: new RegExp(`^${source}/?$`, ignoreCase ? 'i' : ''), names, ranks };
}

/** Where two templates match the same path, the one whose first differing segment is a literal wins. */
function byPrecedence<R>(a: Compiled<R>, b: Compiled<R>): number {
  for (let i = 0; i < Math.max(a.ranks.length, b.ranks.length); i += 1) {
    const difference = (a.ranks[i] ?? 0) - (b.ranks[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export class RouteTable<R extends RouteShape> {
  private readonly compiled: Compiled<R>[];

  constructor(routes: readonly R[], private readonly options: RouteTableOptions) {
    // A stable sort: routes of equal precedence keep their declared order.
    this.compiled = routes.map((route) => compile(route, options.ignoreCase === true)).sort(byPrecedence);
  }

  /** The matching route, `'method-not-allowed'` when only the method differs, or undefined. */
  match(method: string, path: string): RouteMatch<R> | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const { route, pattern, names } of this.compiled) {
      const found = pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (!route.methods.includes(method)) continue;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        const segment = found[index + 1] ?? '';
        try {
          params[name] = decodeURIComponent(segment);
        } catch {
          throw this.options.badSegment(name, segment);
        }
      });
      return { route, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}
