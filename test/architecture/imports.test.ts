import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The import rules of docs/ARCHITECTURE.md, read from the sources themselves: a change that makes
// a folder reach where it may not fails here, naming the file and the import.

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/**
 * What each part of src/ may import from the rest of src/ (its own files always). A server kind
 * (`servers/<kind>`) is a part of its own, and so is its demo server (`servers/<kind>/demo`).
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  cli: ['commands', 'config', 'log', 'shutdown', 'version'],
  commands: ['config', 'log', 'player', 'servers', 'session', 'shutdown', 'sync', 'text', 'tui', 'version'],
  config: ['files'],
  // (reading a file without waiting on a named pipe put in its place)
  files: [],
  log: [],
  player: ['log'],
  // (only servers/index.ts, which picks the kind, imports a kind: see below)
  servers: ['log', 'servers/jellyfin', 'servers/jellyfin/demo', 'servers/plex', 'servers/plex/demo', 'session', 'sync', 'text'],
  // (what both demo servers share: the clip, fault switches, a journal, replies)
  'servers/demo-kit': [],
  // (HTTP pieces every kind may use: typed errors, the stream proxy that keeps the token from mpv)
  'servers/http': ['log', 'text'],
  'servers/jellyfin': ['log', 'servers', 'servers/http', 'session', 'sync', 'text'],
  'servers/jellyfin/demo': ['servers/demo-kit'],
  'servers/plex': ['log', 'servers', 'servers/http', 'session', 'sync', 'text'],
  'servers/plex/demo': ['servers/demo-kit'],
  session: ['log', 'player', 'sync'],
  shutdown: ['log'],
  sync: ['files', 'log'],
  text: ['sync'],
  tui: ['config', 'log', 'servers', 'session', 'shutdown', 'sync', 'text'],
  version: [],
};

/** Packages only one part may use: the part that wraps them. */
const PACKAGE_OWNERS: Record<string, readonly string[]> = {
  ink: ['tui'],
  react: ['tui'],
  '@jellyfin/sdk': ['servers/jellyfin', 'servers/jellyfin/demo'],
  lowdb: ['sync'],
  'env-paths': ['config'],
  commander: ['cli'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** `tui` for src/tui/…, `cli` for src/cli.ts and src/cli/…, `servers/jellyfin` for src/servers/jellyfin/…, `servers/jellyfin/demo` for its demo. */
function partOf(file: string): string {
  const [first, ...rest] = relative(SRC, file).split(sep);
  if (first === 'servers' && rest.length > 1) return rest[1] === 'demo' && rest.length > 2 ? `servers/${rest[0]}/demo` : `servers/${rest[0]}`;
  return rest.length > 0 ? first! : first!.replace(/\.tsx?$/, '');
}

/** Every import and re-export of a file: `[specifier, line]`. */
function importsOf(file: string): Array<[string, number]> {
  const text = readFileSync(file, 'utf8');
  const found: Array<[string, number]> = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const line = text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
    found.push([(match[1] ?? match[2])!, line]);
  }
  return found;
}

describe('the import rules (docs/ARCHITECTURE.md)', () => {
  const files = sources(SRC);

  it('knows every part of src/', () => {
    const parts = [...new Set(files.map(partOf))].sort();
    expect(parts).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it('every import stays within what its part may import', () => {
    const broken: string[] = [];
    for (const file of files) {
      const from = partOf(file);
      for (const [spec, line] of importsOf(file)) {
        const where = `src/${relative(SRC, file)}:${line}`;
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (!target.startsWith(SRC)) {
            broken.push(`${where} imports ${spec}, outside src/`);
            continue;
          }
          const to = partOf(target.replace(/\.js$/, '.ts'));
          if (to !== from && !MAY_IMPORT[from]!.includes(to)) broken.push(`${where}: ${from} may not import ${to} (${spec})`);
        } else {
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          const owners = PACKAGE_OWNERS[name];
          if (owners !== undefined && !owners.includes(from)) broken.push(`${where}: only ${owners.join(', ')} may import ${name}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('only src/servers/index.ts picks a server kind: no other file imports a kind\'s folder (but src/servers/demos.ts its demo server), and none outside src/servers names one', () => {
    // (folders of src/servers/ that every kind shares are not kinds)
    const shared = ['http', 'demo-kit'];
    const kinds = [...new Set(files.map(partOf).filter((part) => /^servers\/[^/]+$/.test(part)))].map((part) => part.split('/')[1]!).filter((kind) => !shared.includes(kind));
    expect(kinds).toContain('jellyfin');
    const broken: string[] = [];
    for (const file of files) {
      const from = partOf(file);
      const where = `src/${relative(SRC, file)}`;
      if (from === 'servers' && !file.endsWith(join('servers', 'index.ts'))) {
        // (the demo servers are started through src/servers/demos.ts, so that only the commands
        // that run one load their code: it reaches a kind's demo folder, and nothing else of it)
        const demos = file.endsWith(join('servers', 'demos.ts'));
        for (const [spec, line] of importsOf(file)) {
          if (/^\.\/[^/]+\//.test(spec) && !(demos && /^\.\/[^/]+\/demo\/[^/]+$/.test(spec))) broken.push(`${where}:${line} imports a server kind (${spec}); only src/servers/index.ts does`);
        }
      }
      if (from.startsWith('servers')) continue;
      const text = readFileSync(file, 'utf8');
      for (const kind of [...kinds, 'plex']) {
        if (new RegExp(`['"\`]${kind}['"\`]`).test(text)) broken.push(`${where} names the server kind "${kind}" in code`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('reads imports the way the rules mean them (a check of this test itself)', () => {
    const tui = files.find((file) => file.endsWith(join('tui', 'App.tsx')))!;
    const specs = importsOf(tui).map(([spec]) => spec);
    expect(specs).toContain('ink');
    expect(specs.some((spec) => spec.startsWith('./components/'))).toBe(true);
    const cli = files.find((file) => file.endsWith(join('cli', 'main.ts')))!;
    // (dynamic imports count too: the commands are loaded on demand)
    expect(importsOf(cli).some(([spec]) => spec.startsWith('../commands/'))).toBe(true);
  });
});
