import { describe, expect, it } from 'vitest';
import { playerOutputs, type OutputFacts } from '../../src/player/outputs.js';
import type { MpvTrack } from '../../src/player/track-list.js';

const VIDEO: MpvTrack = { id: 1, type: 'video', ref: { embedded: 0 }, selected: true };
const AUDIO: MpvTrack = { id: 1, type: 'audio', ref: { embedded: 0 }, selected: true };
const COVER: MpvTrack = { ...VIDEO, albumArt: true };
const DESKTOP = { env: { DISPLAY: ':0' }, platform: 'linux' as const };
const SSH = { env: {}, platform: 'linux' as const };

const film = (facts: Partial<OutputFacts>): OutputFacts => ({ tracks: [VIDEO, AUDIO], videoOutput: 'gpu', audioOutput: 'pulse', audioFailed: false, ...DESKTOP, ...facts });

describe('whether mpv can be seen and heard', () => {
  it.each<[string, OutputFacts, { window: boolean; sound: boolean }]>([
    ['a desktop with sound', film({}), { window: true, sound: true }],
    ['over ssh, SDL drawing off screen, no sound card (this machine)', film({ ...SSH, videoOutput: 'sdl', audioOutput: undefined, audioFailed: true }), { window: false, sound: false }],
    ['over ssh with no video output at all', film({ ...SSH, videoOutput: undefined }), { window: false, sound: true }],
    ['a Linux console drawing through DRM', film({ ...SSH, videoOutput: 'drm' }), { window: true, sound: true }],
    ['macOS, which needs no DISPLAY', film({ env: {}, platform: 'darwin', videoOutput: 'libmpv' }), { window: true, sound: true }],
    ['the viewer chose --vo=null --ao=null', film({ ...SSH, videoOutput: 'null', audioOutput: 'null' }), { window: true, sound: true }],
    ['the viewer turned audio off (--aid=no): no device was tried', film({ audioOutput: undefined, audioFailed: false }), { window: true, sound: true }],
    ['music with a cover, over ssh', film({ ...SSH, tracks: [COVER, AUDIO], videoOutput: 'sdl' }), { window: true, sound: true }],
    ['a silent film without a sound card', film({ tracks: [VIDEO], audioOutput: undefined, audioFailed: true }), { window: true, sound: true }],
  ])('%s', (_name, facts, expected) => {
    expect(playerOutputs(facts)).toEqual(expected);
  });
});
