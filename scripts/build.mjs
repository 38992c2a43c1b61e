// Bundles the CLI into dist/ with esbuild: one process start reads a few files
// instead of hundreds (Ink alone is ~400 ms unbundled). Code splitting keeps
// React and Ink in a chunk that only the TUI path imports, so `--pending` and
// `sync` never load them. Type-checking is `npm run typecheck` (tsc).
import { build } from 'esbuild';

/**
 * Ink's layout engine (yoga-layout) carries its WebAssembly as a base64 `data:` URL and, where
 * `fetch` exists, decodes it with `fetch`: on Node that loads the whole HTTP client (undici),
 * ~150 ms before the first frame. Its own synchronous decoder does the same in a few ms.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(build) {
    build.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const patched = source.replaceAll('"function"!=typeof fetch', '!0');
      // A new yoga-layout that loads differently must be looked at, not bundled as it comes.
      if (patched === source) throw new Error(`yoga-without-fetch: nothing to patch in ${args.path}`);
      return { contents: patched, loader: 'js' };
    });
  },
};
import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
await rm(dist, { recursive: true, force: true });
await mkdir(`${dist}/stub`, { recursive: true });
// Ink imports react-devtools-core for its devtools integration; we never enable it.
const devtoolsStub = `${dist}/stub/react-devtools-core.js`;
await writeFile(devtoolsStub, 'export default { initialize() {}, connectToDevTools() {} };\n');

const result = await build({
  absWorkingDir: root,
  metafile: true,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': devtoolsStub },
  banner: {
    js: "import { createRequire as __reeltermCreateRequire } from 'node:module'; const require = __reeltermCreateRequire(import.meta.url);",
  },
  plugins: [yogaWithoutFetch],
  logLevel: 'warning',
});

// The bundle carries other people's code: their licences ship with it, in one file.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
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
