// How reelterm is bundled (scripts/build.mjs), shared with the bench's reference apps
// (bench/bundles.ts): a reference "bundled the same way" is bundled by these very options.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
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
 * Node's built-in modules are taken with `require()` (the banner's), not `import`: for an import,
 * Node builds an ESM view of the module by reading every one of its properties once, and some are
 * getters that load what nobody asked for. `node:http`'s WebSocket loads the whole HTTP client
 * (undici) on Node 22 and 24, `node:process`'s stdin, stdout and stderr create those streams, and
 * `node:fs`'s ReadStream Node's streams (and on Node 24 its F_OK warns that it is deprecated).
 * Each named export is read from the module only if the bundle imports it by that name: the
 * others are pure and dropped.
 */
function builtinsThroughRequire(root) {
  const require = createRequire(join(root, 'package.json'));
  const builtins = new Set(builtinModules);
  // (a module without getters has an ESM view that costs nothing: it stays an import)
  const hasGetters = (name) => Object.values(Object.getOwnPropertyDescriptors(require(`node:${name}`))).some((property) => property.get !== undefined && property.enumerable);
  const bindable = (name) => {
    try {
      new Function(`const ${name} = 0;`);
      return true;
    } catch {
      return false;
    }
  };
  return {
    name: 'builtins-through-require',
    setup(build) {
      build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
        const name = args.path.replace(/^node:/, '');
        return args.kind === 'import-statement' && builtins.has(name) && hasGetters(name) ? { path: name, namespace: 'builtins-through-require' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'builtins-through-require' }, (args) => {
        const names = Object.keys(Object.getOwnPropertyDescriptors(require(`node:${args.path}`))).filter((name) => name !== 'default' && bindable(name));
        const lines = [`const module = require(${JSON.stringify(`node:${args.path}`)});`, 'const take = (name) => module[name];', 'export default module;'];
        for (const name of names) lines.push(`export const ${name} = /* @__PURE__ */ take(${JSON.stringify(name)});`);
        return { contents: `${lines.join('\n')}\n`, loader: 'js' };
      });
    },
  };
}

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
    // Less for V8 to read at every start (Node 20 keeps no compiled code between runs): the
    // bundle is ~30 % smaller. Names are kept, so a stack trace still names its functions.
    minifyWhitespace: true,
    minifySyntax: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'react-devtools-core': devtoolsStub },
    banner: {
      js: "import { createRequire as __reeltermCreateRequire } from 'node:module'; const require = __reeltermCreateRequire(import.meta.url);",
    },
    plugins: [yogaWithoutFetch, builtinsThroughRequire(root), commonJsOnce(root, ['react', 'react/jsx-runtime'])],
  };
}
