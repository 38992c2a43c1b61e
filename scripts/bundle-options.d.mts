import type { BuildOptions } from 'esbuild';

/** The esbuild options reelterm's bundle and the bench's reference apps share (see bundle-options.mjs). */
export function bundleOptions(where: { root: string; stubDir: string }): Promise<BuildOptions>;
