// Bundles the CLI into dist/ with esbuild: one process start reads a few files
// instead of hundreds (Ink alone is ~400 ms unbundled). Code splitting keeps
// React and Ink in a chunk that only the TUI path imports, so `--pending` and
// `sync` never load them. Type-checking is `npm run typecheck` (tsc).
import { build } from 'esbuild';
import { rm, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
await rm(dist, { recursive: true, force: true });
await mkdir(`${dist}/stub`, { recursive: true });
// Ink imports react-devtools-core for its devtools integration; we never enable it.
const devtoolsStub = `${dist}/stub/react-devtools-core.js`;
await writeFile(devtoolsStub, 'export default { initialize() {}, connectToDevTools() {} };\n');

await build({
  absWorkingDir: root,
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
  logLevel: 'warning',
});
