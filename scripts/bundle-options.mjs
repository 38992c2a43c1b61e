// How reelterm is bundled (scripts/build.mjs), shared with the bench's reference apps
// (bench/bundles.ts): a reference "bundled the same way" is bundled by these very options.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

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

/**
 * `import process from 'node:process'` (Ink, chalk, env-paths…) is the global `process`. Node
 * builds its ESM view of the built-in by reading every property once, and that creates the
 * stdin, stdout and stderr streams at the first such import (~10 ms), used or not.
 */
const processIsGlobal = {
  name: 'process-is-global',
  setup(build) {
    // (`require('node:process')` is Node's own process object already)
    build.onResolve({ filter: /^(node:)?process$/ }, (args) => (args.kind === 'import-statement' ? { path: 'process', namespace: 'process-is-global' } : undefined));
    // (the named imports the bundled packages use; another one fails the build, it does not go missing)
    build.onLoad({ filter: /.*/, namespace: 'process-is-global' }, () => ({ contents: 'export default process;\nexport const { cwd, env } = process;\n', loader: 'js' }));
  },
};

/**
 * React is CommonJS: every module that imports it gets its own ESM view of it, built by copying
 * each export into a fresh object of getters (esbuild's `__toESM`), ~0.5 ms each before the first
 * frame, and Ink and the TUI import it from some fifty modules. Their `import`s go through one ESM
 * module instead, which takes React's exports once; `require('react')` (React's own packages) is
 * left as it is.
 */
function commonJsOnce(root, packages) {
  const require = createRequire(join(root, 'package.json'));
  return {
    name: 'common-js-once',
    setup(build) {
      const filter = new RegExp(`^(${packages.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`);
      build.onResolve({ filter }, (args) => (args.kind === 'import-statement' && args.namespace === 'file' ? { path: args.path, namespace: 'common-js-once' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'common-js-once' }, (args) => {
        // (names read from the package as installed: an import of a name it lacks fails the build)
        const names = Object.keys(require(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
        return {
          contents: `import module from ${JSON.stringify(args.path)};\nexport default module;\nexport const { ${names.join(', ')} } = module;\n`,
          resolveDir: root,
          loader: 'js',
        };
      });
    },
  };
}

/**
 * The options both bundles share; `stubDir` receives the stub that stands in for
 * react-devtools-core (Ink imports it for its devtools integration, which is never enabled).
 */
export async function bundleOptions({ root, stubDir }) {
  await mkdir(stubDir, { recursive: true });
  const devtoolsStub = join(stubDir, 'react-devtools-core.js');
  await writeFile(devtoolsStub, 'export default { initialize() {}, connectToDevTools() {} };\n');
  return {
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'react-devtools-core': devtoolsStub },
    banner: {
      js: "import { createRequire as __reeltermCreateRequire } from 'node:module'; const require = __reeltermCreateRequire(import.meta.url);",
    },
    plugins: [yogaWithoutFetch, processIsGlobal, commonJsOnce(root, ['react', 'react/jsx-runtime'])],
  };
}
