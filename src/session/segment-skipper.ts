/** A part of an item the server knows about (Jellyfin media segments). */
export interface MediaSegment {
  /** `Intro`, `Outro` (credits), `Recap`, `Preview`, `Commercial` or `Unknown`. */
  type: string;
  startSeconds: number;
  endSeconds: number;
}

/** What to do when a segment plays: skip it, offer a key to skip it, or nothing. */
export type SegmentSkipMode = 'auto' | 'ask' | 'off';

/** How segments are skipped, from the settings. */
export interface SegmentSkipSettings {
  mode: SegmentSkipMode;
  /** Which segment types the mode applies to. */
  types: readonly string[];
}

/** Ending this close to a segment's end is not worth a seek. */
const END_MARGIN_SECONDS = 1;

/** A name for a segment type, as the screen shows it. */
export function segmentLabel(type: string): string {
  switch (type) {
    case 'Outro':
      return 'credits';
    case 'Intro':
    case 'Recap':
    case 'Preview':
    case 'Commercial':
      return type.toLowerCase();
    default:
      return 'segment';
  }
}

/**
 * Follows the playback position through an item's segments. In `auto` mode it seeks past each
 * segment once as playback enters it (seeking back into it is the viewer's choice, and stays);
 * in `ask` mode it offers the segment being played, and `skip()` seeks past it.
 */
export class SegmentSkipper {
  private readonly segments: MediaSegment[];
  private readonly mode: SegmentSkipMode;
  private readonly seekTo: (seconds: number) => void;
  private readonly skipped = new Set<MediaSegment>();
  private current: MediaSegment | undefined;

  constructor(segments: readonly MediaSegment[], settings: SegmentSkipSettings, seekTo: (seconds: number) => void) {
    this.mode = settings.mode;
    this.segments = settings.mode === 'off' ? [] : segments.filter((segment) => settings.types.includes(segment.type) && segment.endSeconds > segment.startSeconds);
    this.seekTo = seekTo;
  }

  /** The segment offered for skipping (`ask` mode), if one plays now. */
  get offered(): MediaSegment | undefined {
    return this.mode === 'ask' ? this.current : undefined;
  }

  /** Feeds the position; returns true when the offered segment changed. */
  update(positionSeconds: number): boolean {
    const inside = this.segments.find((segment) => positionSeconds >= segment.startSeconds && positionSeconds < segment.endSeconds - END_MARGIN_SECONDS);
    if (inside !== undefined && this.mode === 'auto' && !this.skipped.has(inside)) {
      this.skipped.add(inside);
      this.seekTo(inside.endSeconds);
    }
    const changed = inside !== this.current;
    this.current = inside;
    return changed && this.mode === 'ask';
  }

  /** Skips the segment being played (`ask` mode); false when there is none. */
  skip(): boolean {
    const segment = this.current;
    if (segment === undefined || this.mode !== 'ask') return false;
    this.skipped.add(segment);
    this.current = undefined;
    this.seekTo(segment.endSeconds);
    return true;
  }
}
