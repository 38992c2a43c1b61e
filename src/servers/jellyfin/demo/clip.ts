/**
 * The Jellyfin demo's media: the demo kit's clip (`src/servers/demo-kit/clip.ts`), with its
 * duration in Jellyfin's unit, or another file of the same shape (`DemoServerOptions.clip`).
 */
import { existsSync, statSync } from 'node:fs';
import { CLIP_SECONDS, type DemoClip } from '../../demo-kit/clip.js';
import { SUBTITLE_FILES, subtitleFile } from './media-streams.js';
import { TICKS_PER_SECOND } from './wire.js';

export { locateClip, type DemoClip } from '../../demo-kit/clip.js';

/**
 * The clip's real duration (`assets/demo/make-clip.sh` makes exactly 600 s). Every video item
 * reports it as `RunTimeTicks`, so positions mpv reports and the server's resume rules agree.
 */
export const CLIP_RUNTIME_TICKS = CLIP_SECONDS * TICKS_PER_SECOND;

/**
 * A clip of the demo's shape at `path` (as `make-clip.sh` makes it with `CLIP_DIR`), whose
 * subtitle files the server reads beside it: throws when the file or one of them is missing,
 * rather than answering 500 to the first subtitle request.
 */
export function clipAt(path: string): DemoClip {
  const missing = [...SUBTITLE_FILES.keys()].map((index) => subtitleFile(path, index)!).filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`The demo clip ${path} has no ${missing.join(', ')} beside it (make-clip.sh writes them with the clip)`);
  return { path, size: statSync(path).size };
}
