import { describe, expect, it } from 'vitest';
import { chooseTracks, nextStream, sameLanguage, type MediaTracks, type StreamChoice } from '../../src/session/track-choice.js';

const stream = (index: number, language: string | undefined, isDefault = false, url?: string): StreamChoice => ({
  index,
  label: `${language ?? 'und'} ${index}`,
  isDefault,
  ...(language ? { language } : {}),
  ...(url ? { url } : {}),
});

const TRACKS: MediaTracks = {
  audio: [stream(1, 'eng', true), stream(2, 'fre')],
  subtitles: [stream(3, 'eng', true), stream(4, 'spa'), stream(5, 'ger', false, 'http://jf/Videos/x/x/Subtitles/5/0/Stream.srt')],
  defaultAudioIndex: 1,
  defaultSubtitleIndex: 3,
};

describe('choosing tracks', () => {
  it.each([
    // audio prefs, subtitle prefs, audio index, subtitle index (null: off)
    [[], [], 1, 3],
    [['fr'], [], 2, 3],
    [['fra'], ['de'], 2, 5],
    [['jpn', 'fre'], ['ita', 'spa'], 2, 4],
    [['jpn'], ['ita'], 1, 3],
  ] as const)('audio %j and subtitles %j give audio %i and subtitles %s', (audio, subtitles, audioIndex, subtitleIndex) => {
    const choice = chooseTracks(TRACKS, { audioLanguages: audio, subtitleLanguages: subtitles });
    expect(choice.audio?.index).toBe(audioIndex);
    expect(choice.subtitle === null ? null : choice.subtitle.index).toBe(subtitleIndex);
  });

  it('turns subtitles off when nothing matches and the server picks none', () => {
    const choice = chooseTracks({ ...TRACKS, defaultSubtitleIndex: -1 }, { audioLanguages: [], subtitleLanguages: ['ita'] });
    expect(choice.subtitle).toBeNull();
  });

  it('leaves audio to mpv when the server lists none', () => {
    expect(chooseTracks({ audio: [], subtitles: [] }, { audioLanguages: ['eng'], subtitleLanguages: [] })).toEqual({ audio: undefined, subtitle: null });
  });

  it.each([
    ['en', 'eng', true],
    ['DE', 'ger', true],
    ['deu', 'ger', true],
    ['fr', 'fre', true],
    ['pt-BR', 'por', true],
    ['en_US', 'eng', true],
    ['eng', undefined, false],
    ['es', 'eng', false],
  ] as const)('%s and %s are the same language: %s', (wanted, language, same) => {
    expect(sameLanguage(wanted, language)).toBe(same);
  });

  it('cycles audio round, and subtitles through "off"', () => {
    const [english, french] = TRACKS.audio;
    expect(nextStream(TRACKS.audio, english, false)).toBe(french);
    expect(nextStream(TRACKS.audio, french, false)).toBe(english);
    const last = TRACKS.subtitles[2];
    expect(nextStream(TRACKS.subtitles, last, true)).toBeNull();
    expect(nextStream(TRACKS.subtitles, undefined, true)).toBe(TRACKS.subtitles[0]);
  });
});
