// Bundles the CLI into dist/ with esbuild: one process start reads a few files
// instead of hundreds (Ink alone is ~400 ms unbundled). Code splitting keeps
// React and Ink in a chunk that only the TUI path imports, so `--pending` and
// `sync` never load them. Type-checking is `npm run typecheck` (tsc).
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
await rm(dist, { recursive: true, force: true });

const options = await bundleOptions({ root, stubDir: `${dist}/stub` });

/** src/cli.ts's import of the plain `--pending` run goes to its own bundle, dist/pending.js (below). */
const pendingApart = {
  name: 'pending-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli\/pending\.js$/ }, (args) => (args.importer.endsWith(`src/cli.ts`) ? { path: './pending.js', external: true } : undefined));
  },
};

const result = await build({
  ...options,
  plugins: [...options.plugins, pendingApart],
  metafile: true,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: dist,
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

// A plain `reelterm --pending`, in one file: as chunks of the CLI's bundle it read some fifteen
// files, each through Node's module loader, for a command that scripts run again and again.
const pendingResult = await build({
  ...options,
  splitting: false,
  metafile: true,
  entryPoints: { pending: 'src/cli/pending.ts' },
  outdir: dist,
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The bundle carries other people's code: their licences ship with it, in one file.
const packages = new Map();
for (const input of [...Object.keys(result.metafile.inputs), ...Object.keys(pendingResult.metafile.inputs)]) {
  const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (match) packages.set(match[2], match[1]);
}
const notices = [];
for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  const manifest = JSON.parse(await readFile(`${root}${dir}/package.json`, 'utf8'));
  const licenceFile = (await readdir(`${root}${dir}`)).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
  const text = licenceFile ? (await readFile(`${root}${dir}/${licenceFile}`, 'utf8')).trim() : `(no licence file; package.json says: ${manifest.license ?? 'nothing'})`;
  notices.push(`${name} ${manifest.version} · ${manifest.license ?? 'unknown licence'}\n\n${text}`);
}
await writeFile(
  `${dist}/THIRD-PARTY-LICENSES.txt`,
  `reelterm's bundle (dist/) contains these packages, under their own licences:\n\n${notices.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`,
);
