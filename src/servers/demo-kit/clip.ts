/**
 * Where the demo servers' media lives: the repository's 600 s clip `assets/demo/clip.mp4` and the
 * subtitle files beside it, found from the sources and from the esbuild bundle alike.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The clip's real length in seconds: `assets/demo/make-clip.sh` makes exactly 600 s. */
export const CLIP_SECONDS = 600;

const CLIP = join('assets', 'demo', 'clip.mp4');

/** The demo media file on disk, with its size. */
export interface DemoClip {
  path: string;
  size: number;
}

/**
 * Finds `assets/demo/clip.mp4` by walking up from this module, which works from the sources
 * (`src/servers/demo-kit/`) and from the esbuild bundle (`dist/` or `dist/chunks/`) alike.
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

/** A file that `make-clip.sh` writes beside the clip, e.g. `subtitles.ger.srt`. */
export function besideClip(clip: DemoClip, name: string): string {
  return join(dirname(clip.path), name);
}
