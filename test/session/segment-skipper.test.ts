import { describe, expect, it } from 'vitest';
import { SegmentSkipper, type MediaSegment } from '../../src/session/segment-skipper.js';

const SEGMENTS: MediaSegment[] = [
  { type: 'Recap', startSeconds: 0.5, endSeconds: 4.5 },
  { type: 'Intro', startSeconds: 5, endSeconds: 35 },
  { type: 'Outro', startSeconds: 570, endSeconds: 600 },
];

describe('skipping segments', () => {
  it('in auto mode seeks past each chosen segment once, and lets the viewer go back into it', () => {
    const seeks: number[] = [];
    const skipper = new SegmentSkipper(SEGMENTS, { mode: 'auto', types: ['Intro', 'Outro'] }, (s) => seeks.push(s));
    for (const position of [1, 2, 5.5, 36, 10, 12, 571]) skipper.update(position);
    expect(seeks).toEqual([35, 600]);
    expect(skipper.offered).toBeUndefined();
  });

  it('in ask mode offers the segment while it plays, and skip() seeks past it', () => {
    const seeks: number[] = [];
    const skipper = new SegmentSkipper(SEGMENTS, { mode: 'ask', types: ['Intro'] }, (s) => seeks.push(s));
    expect(skipper.update(1)).toBe(false);
    expect(skipper.update(6)).toBe(true);
    expect(skipper.offered?.type).toBe('Intro');
    expect(skipper.skip()).toBe(true);
    expect(seeks).toEqual([35]);
    expect(skipper.offered).toBeUndefined();
    expect(skipper.update(40)).toBe(false);
    expect(skipper.skip()).toBe(false);
  });

  it('does nothing when off, or in the last second of a segment', () => {
    const seeks: number[] = [];
    new SegmentSkipper(SEGMENTS, { mode: 'off', types: ['Intro'] }, (s) => seeks.push(s)).update(6);
    new SegmentSkipper(SEGMENTS, { mode: 'auto', types: ['Intro'] }, (s) => seeks.push(s)).update(34.5);
    expect(seeks).toEqual([]);
  });
});
