import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TICKS_PER_SECOND } from './wire.js';

/**
 * The clip's real duration (`assets/demo/make-clip.sh` makes exactly 600 s). Every video item
 * reports it as `RunTimeTicks`, so positions mpv reports and the server's resume rules agree.
 */
export const CLIP_RUNTIME_TICKS = 600 * TICKS_PER_SECOND;

const CLIP = join('assets', 'demo', 'clip.mp4');

/** The demo media file on disk, with its size. */
export interface DemoClip {
  path: string;
  size: number;
}

/**
 * Finds `assets/demo/clip.mp4` by walking up from this module, which works from the sources
 * (`src/servers/jellyfin/demo/`) and from the esbuild bundle (`dist/` or `dist/chunks/`) alike.
 */
export function locateClip(from: string = import.meta.url): DemoClip {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, CLIP);
    if (existsSync(candidate)) return { path: candidate, size: statSync(candidate).size };
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`The demo clip ${CLIP} was not found above ${fileURLToPath(from)}`);
    dir = parent;
  }
}
