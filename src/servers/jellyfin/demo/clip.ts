/**
 * The Jellyfin demo's media: the demo kit's clip (`src/servers/demo-kit/clip.ts`), with its
 * duration in Jellyfin's unit.
 */
import { CLIP_SECONDS } from '../../demo-kit/clip.js';
import { TICKS_PER_SECOND } from './wire.js';

export { locateClip, type DemoClip } from '../../demo-kit/clip.js';

/**
 * The clip's real duration (`assets/demo/make-clip.sh` makes exactly 600 s). Every video item
 * reports it as `RunTimeTicks`, so positions mpv reports and the server's resume rules agree.
 */
export const CLIP_RUNTIME_TICKS = CLIP_SECONDS * TICKS_PER_SECOND;
