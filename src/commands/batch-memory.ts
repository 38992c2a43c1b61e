import { setFlagsFromString } from 'node:v8';

/**
 * Tells V8 to favour memory over speed for the rest of this process: for `reelterm sync`, a
 * batch job that runs at the server's pace. A drain of 10,000 updates keeps ~11 MB alive, yet
 * V8's speed-first sizing let the process grow to 120–124 MB on Node 20 and 130–140 MB on
 * Node 24 (a young generation grown to 32 MB, or 128 MB on Node 24, and old-space garbage kept
 * for later). With this the same drain peaks at ~90 MB on Node 20 (~106 MB on Node 24) and
 * takes 10–15 % more CPU (A/B on a quiet machine, three runs each; bench/drain.ts measures time
 * and memory): the drain's pace is the server's and the network's, its memory the machine's.
 *
 * `--optimize-for-size` is a V8 heuristics switch that V8 reads as it decides, so setting it
 * once the process runs takes effect; the flags that size the heap up front
 * (`--max-semi-space-size`) would need a second process. The interactive app keeps V8's
 * defaults: its redraws are what must be quick.
 */
export function favourMemory(): void {
  setFlagsFromString('--optimize-for-size');
}
