import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PLEX_TV_ROUTES, PMS_ROUTES } from '../../src/servers/plex/demo/index.js';

// Every route the demo Plex server serves is in Plex's OpenAPI document (1.2.2), or listed below
// as undocumented but used, with the PLEX.md section that says clients use it.

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCUMENT = 'plex-media-server-openapi-1.2.2.json';

/** Where the document is looked for: `../shared/fixtures/plex-openapi/` from the project root. */
function locate(root: string = PROJECT_ROOT): { dir: string; available: boolean; skipNote?: string } {
  const dir = resolve(root, '..', 'shared', 'fixtures', 'plex-openapi');
  const available = existsSync(join(dir, DOCUMENT));
  return { dir, available, skipNote: available ? undefined : `Skipping the Plex OpenAPI checks: no ${DOCUMENT} in ${dir} (../shared/fixtures/plex-openapi/ beside the project)` };
}

const fixtures = locate();
if (fixtures.skipNote !== undefined) console.warn(fixtures.skipNote);

/** `METHOD path` served but absent from the document, and why it is served. */
const UNDOCUMENTED: Readonly<Record<string, string>> = {
  'GET /library/sections': 'PLEX.md §3: the spec documents /library/sections/all; python-plexapi and Reel use /library/sections',
  'GET /library/metadata/{ids}/children': 'PLEX.md §3: seasons and episodes, "undocumented but universal"',
  'GET /hubs/continueWatching/items': 'PLEX.md §3: python-plexapi reads Continue Watching here',
  'GET /library/onDeck': 'PLEX.md §3: the legacy Continue Watching list',
  'PUT /actions/removeFromContinueWatching': 'PLEX.md §3: Plezy and python-plexapi hide an item with it',
  'GET /library/streams/{streamId}': 'PLEX.md §4.2: plex-mpv-shim loads the sidecar without an extension',
  'GET /:/timeline': 'PLEX.md §5.1: python-plexapi, plex-mpv-shim, plex-for-kodi, plex-api.rs and Waddenn report by GET',
  'GET /:/scrobble': 'PLEX.md §5.2: "This API does respond to the GET verb"; every peer uses GET',
  'GET /:/unscrobble': 'PLEX.md §5.2: as scrobble',
  'GET /:/progress': 'PLEX.md §5.3: undocumented resume-point write (python-plexapi updateProgress, pmcli)',
  'PUT /:/progress': 'PLEX.md §5.3: as GET',
};

/** The plex.tv half is not the PMS API: none of it is in the document (PLEX.md §2, §7.3 "Gaps"). */
const PLEX_TV: Readonly<Record<string, string>> = {
  'POST /api/v2/pins': 'PLEX.md §2.2 step 1: create a PIN',
  'GET /api/v2/pins/{pinId}': 'PLEX.md §2.2 step 3: poll a PIN',
  'GET /api/v2/user': 'PLEX.md §2.2 step 4: validate a token',
  'GET /api/v2/resources': 'PLEX.md §2.4: find servers',
  'GET /api/v2/ping': 'PLEX.md §2.2 step 4: keep a token alive',
};

type Operation = { security?: unknown[] };
const spec = fixtures.available ? (JSON.parse(readFileSync(join(fixtures.dir, DOCUMENT), 'utf8')) as { paths: Record<string, Record<string, Operation>> }) : { paths: {} };
const pmsOperations = PMS_ROUTES.flatMap((route) => route.methods.map((method) => [`${method} ${route.path}`, route.anonymous ?? false] as const));

describe('finding the Plex OpenAPI document', () => {
  it('looks in ../shared/fixtures/plex-openapi/ beside the project root', () => {
    expect(fixtures.dir).toBe(resolve(PROJECT_ROOT, '..', 'shared', 'fixtures', 'plex-openapi'));
  });

  it('in a clone without it, says to skip and names the folder it looked in', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'reelterm-clone-'));
    const clone = locate(join(parent, 'reelterm'));
    expect(clone.available).toBe(false);
    expect(clone.skipNote).toContain(join(parent, 'shared', 'fixtures', 'plex-openapi'));
  });
});

describe.skipIf(!fixtures.available)('the demo Plex server against the PMS OpenAPI document 1.2.2', () => {
  it.each(pmsOperations)('%s is documented or listed as undocumented-but-used', (operation) => {
    const [method, path] = operation.split(' ') as [string, string];
    const documented = Object.keys(spec.paths[path] ?? {}).includes(method.toLowerCase());
    if (documented) expect(UNDOCUMENTED[operation], `${operation} is documented: drop it from UNDOCUMENTED`).toBeUndefined();
    else expect(UNDOCUMENTED[operation], `${operation} is neither in the document nor in UNDOCUMENTED`).toMatch(/^PLEX\.md §/);
  });

  it.each(pmsOperations.filter(([operation]) => UNDOCUMENTED[operation] === undefined))('%s needs a token exactly when the document does (anonymous: %s)', (operation, anonymous) => {
    const [method, path] = operation.split(' ') as [string, string];
    const security = spec.paths[path]?.[method.toLowerCase()]?.security;
    // `security: [{}]` is the document's "no auth" (only /identity); without the key the global user_token applies.
    const open = Array.isArray(security) && security.some((entry) => typeof entry === 'object' && entry !== null && Object.keys(entry).length === 0);
    expect(open).toBe(anonymous);
  });

  it('lists nothing as undocumented that the server does not serve', () => {
    const served = new Set<string>(pmsOperations.map(([operation]) => operation));
    expect(Object.keys(UNDOCUMENTED).filter((operation) => !served.has(operation))).toEqual([]);
  });

  it('serves no plex.tv route on the PMS half, and every plex.tv route is listed with its section', () => {
    const tv = PLEX_TV_ROUTES.flatMap((route) => route.methods.map((method) => `${method} ${route.path}`));
    expect(tv.sort()).toEqual(Object.keys(PLEX_TV).sort());
    for (const operation of tv) expect(spec.paths[operation.split(' ')[1]!]).toBeUndefined();
  });
});
