import type { MediaSegmentDto, MediaSegmentType } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { DemoItem } from './library.js';
import { BadRequest } from './request.js';
import { guidFrom, TICKS_PER_SECOND } from './wire.js';

/** `MediaSegmentType` in declaration order, so a numeric value binds as .NET binds it. */
const SEGMENT_TYPES: readonly MediaSegmentType[] = ['Unknown', 'Commercial', 'Preview', 'Recap', 'Outro', 'Intro'];

/** Where the demo's segments lie in the 600 s clip, in seconds; they never overlap. */
export const SEGMENT_SECONDS = {
  Recap: [0.5, 4.5],
  Intro: [5, 35],
  Outro: [570, 600],
} as const satisfies Partial<Record<MediaSegmentType, readonly [number, number]>>;

/**
 * An item's media segments, by start: every episode has an Intro and an Outro, episodes after
 * the first of their season a Recap before the Intro; movies and folders have none.
 */
export function segmentsOf(item: DemoItem): MediaSegmentDto[] {
  if (item.type !== 'Episode') return [];
  const types: Array<keyof typeof SEGMENT_SECONDS> = (item.indexNumber ?? 1) > 1 ? ['Recap', 'Intro', 'Outro'] : ['Intro', 'Outro'];
  return types.map((type) => ({
    Id: guidFrom(`reelterm-demo-segment-${item.id}-${type}`),
    ItemId: item.id,
    Type: type,
    StartTicks: SEGMENT_SECONDS[type][0] * TICKS_PER_SECOND,
    EndTicks: SEGMENT_SECONDS[type][1] * TICKS_PER_SECOND,
  }));
}

/**
 * Binds `includeSegmentTypes` as ASP.NET binds a repeated enum parameter: each value a name
 * (any case) or a defined number; anything else, a comma-joined list included, is a 400.
 * Undefined when the parameter is absent (no filter).
 */
export function parseSegmentTypes(values: readonly string[]): Set<MediaSegmentType> | undefined {
  if (values.length === 0) return undefined;
  const types = new Set<MediaSegmentType>();
  for (const raw of values) {
    const value = raw.trim();
    const type = /^\d+$/.test(value) ? SEGMENT_TYPES[Number(value)] : SEGMENT_TYPES.find((name) => name.toLowerCase() === value.toLowerCase());
    if (type === undefined) throw new BadRequest(`The value '${raw}' is not valid for includeSegmentTypes.`);
    types.add(type);
  }
  return types;
}
