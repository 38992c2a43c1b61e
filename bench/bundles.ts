// The bench's own bundles, in its scratch folder (never dist/): the reference Ink app (bundled
// with scripts/build.mjs's own options, scripts/bundle-options.mjs, so it starts as reelterm
// does), the plain HTTP client and the demo servers' process, each built once per bench
// process; and a copy of the built app.
import { existsSync } from 'node:fs';
import { cp, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/bundle-options.mjs';
import { ROOT, scratchDir } from './measure.js';

const built = new Map<string, Promise<string>>();

/** Bundles `bench/<entry>.ts` to `<scratch>/<entry>.mjs` with scripts/build.mjs's own options. */
function bundle(entry: string): Promise<string> {
  let done = built.get(entry);
  if (done === undefined) {
    done = (async () => {
      const dir = await scratchDir();
      await build({
        ...(await bundleOptions({ root: ROOT, stubDir: join(dir, 'stub') })),
        entryPoints: { [entry]: join(ROOT, 'bench', `${entry}.ts`) },
        outdir: dir,
        outExtension: { '.js': '.mjs' },
        chunkNames: `chunks-${entry}/[name]-[hash]`,
        logLevel: 'warning',
      });
      return join(dir, `${entry}.mjs`);
    })();
    built.set(entry, done);
  }
  return done;
}

/** The minimal Ink app (reference of the TUI figures). */
export const referenceInkApp = () => bundle('ref-ink-app');
/** The least a Node program does to list a queue file (the floor under `--pending`). */
export const pendingFloor = () => bundle('pending-floor');
/** The plain `node:http` client (reference of the drains). */
export const plainClient = () => bundle('plain-client');
/** The demo servers' process. */
export const demoServerBundle = () => bundle('demo-server-process');

let app: Promise<string> | undefined;
/** When the copied dist/cli.js was built (set once the app is copied). */
export let appBuiltAt: Date | undefined;

/**
 * The built app (bin/reelterm and dist/, as `npm run build` left them), copied once into the
 * scratch folder when first asked: a rebuild of dist/ by someone else during the bench cannot
 * change it half-way. Resolves with the copy of bin/reelterm.
 */
export function reeltermBin(): Promise<string> {
  app ??= (async () => {
    const dist = join(ROOT, 'dist');
    if (!existsSync(join(dist, 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first (npm run bench does)');
    const dir = join(await scratchDir(), 'app');
    appBuiltAt = (await stat(join(dist, 'cli.js'))).mtime;
    await cp(dist, join(dir, 'dist'), { recursive: true });
    await cp(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    await cp(join(ROOT, 'package.json'), join(dir, 'package.json'));
    return join(dir, 'bin', 'reelterm');
  })();
  return app;
}
