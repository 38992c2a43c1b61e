import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The import rules of docs/ARCHITECTURE.md, read from the sources themselves: a change that makes
// a folder reach where it may not fails here, naming the file and the import.

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** What each part of src/ may import from the rest of src/ (its own files always). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  cli: ['commands', 'config', 'log', 'shutdown', 'version'],
  commands: ['config', 'demo', 'jellyfin', 'log', 'player', 'session', 'shutdown', 'sync', 'text', 'tui', 'version'],
  config: [],
  demo: [],
  jellyfin: ['log'],
  log: [],
  player: ['log'],
  session: ['log', 'player', 'sync'],
  shutdown: ['log'],
  sync: ['log'],
  text: ['sync'],
  tui: ['config', 'jellyfin', 'log', 'session', 'shutdown', 'sync', 'text'],
  version: [],
};

/** Packages only one part may use: the part that wraps them. */
const PACKAGE_OWNERS: Record<string, readonly string[]> = {
  ink: ['tui'],
  react: ['tui'],
  got: ['jellyfin'],
  lowdb: ['sync'],
  conf: ['config'],
  commander: ['cli'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** `tui` for src/tui/…, `cli` for src/cli.ts. */
function partOf(file: string): string {
  const [first, ...rest] = relative(SRC, file).split(sep);
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

  it('reads imports the way the rules mean them (a check of this test itself)', () => {
    const tui = files.find((file) => file.endsWith(join('tui', 'App.tsx')))!;
    const specs = importsOf(tui).map(([spec]) => spec);
    expect(specs).toContain('ink');
    expect(specs.some((spec) => spec.startsWith('./components/'))).toBe(true);
    const cli = files.find((file) => file.endsWith('cli.ts'))!;
    // (dynamic imports count too: the commands are loaded on demand)
    expect(importsOf(cli).some(([spec]) => spec.startsWith('./commands/'))).toBe(true);
  });
});
