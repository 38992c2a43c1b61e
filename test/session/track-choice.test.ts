import { describe, expect, it } from 'vitest';
import { chooseTracks, nextStream, sameLanguage, selectedIndexes, type CarriedTracks, type MediaTracks, type StreamChoice } from '../../src/session/track-choice.js';

const stream = (index: number, language: string | undefined, isDefault = false, url?: string, embedded?: number): StreamChoice => ({
  index,
  ...(embedded !== undefined ? { embedded } : {}),
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

/** An item whose server default is French audio and Spanish subtitles (what a user chose elsewhere, if remembered). */
const CHOSEN_ELSEWHERE: MediaTracks = { ...TRACKS, defaultAudioIndex: 2, defaultSubtitleIndex: 4 };
const REMEMBERED = { audio: true, subtitle: true };
const picked = (tracks: MediaTracks, audio: readonly string[], subtitles: readonly string[], carried?: CarriedTracks) => {
  const choice = chooseTracks(tracks, { audioLanguages: audio, subtitleLanguages: subtitles }, carried);
  return { audio: choice.audio?.index, subtitle: choice.subtitle === null ? null : choice.subtitle.index };
};

describe('the server\'s remembered choice', () => {
  it('wins over the language settings when the item was played before', () => {
    expect(picked({ ...CHOSEN_ELSEWHERE, remembered: REMEMBERED }, ['en'], ['en'])).toEqual({ audio: 2, subtitle: 4 });
  });

  it('is just the server\'s default, after the language settings, when nothing was remembered', () => {
    expect(picked({ ...CHOSEN_ELSEWHERE, remembered: { audio: false, subtitle: false } }, ['en'], ['en'])).toEqual({ audio: 1, subtitle: 3 });
    expect(picked(CHOSEN_ELSEWHERE, ['en'], ['en'])).toEqual({ audio: 1, subtitle: 3 });
    expect(picked(CHOSEN_ELSEWHERE, [], [])).toEqual({ audio: 2, subtitle: 4 });
  });

  it('counts per kind: remembered subtitles with audio from the settings', () => {
    expect(picked({ ...CHOSEN_ELSEWHERE, remembered: { audio: false, subtitle: true } }, ['en'], ['en'])).toEqual({ audio: 1, subtitle: 4 });
  });

  it('keeps subtitles off when off was remembered, whatever the settings say', () => {
    expect(picked({ ...CHOSEN_ELSEWHERE, defaultSubtitleIndex: -1, remembered: REMEMBERED }, [], ['en'])).toEqual({ audio: 2, subtitle: null });
  });

  it('falls back to the settings when the remembered subtitle is not one mpv can be given', () => {
    expect(picked({ ...CHOSEN_ELSEWHERE, defaultSubtitleIndex: 9, remembered: REMEMBERED }, [], ['de'])).toEqual({ audio: 2, subtitle: 5 });
  });
});

describe('carrying tracks over to the next episode', () => {
  const [english, french] = TRACKS.audio;
  const [englishSubtitle, spanish] = TRACKS.subtitles;

  it('takes the language the user had before the remembered choice and the settings', () => {
    expect(picked({ ...CHOSEN_ELSEWHERE, remembered: REMEMBERED }, ['fr'], ['es'], { audio: english, subtitle: englishSubtitle })).toEqual({ audio: 1, subtitle: 3 });
  });

  it('matches the language, not the index: the next episode may number its streams differently', () => {
    const next: MediaTracks = { audio: [stream(7, 'fra'), stream(8, 'eng', true)], subtitles: [stream(9, 'es')], defaultAudioIndex: 8 };
    expect(picked(next, [], [], { audio: french, subtitle: spanish })).toEqual({ audio: 7, subtitle: 9 });
  });

  it('keeps subtitles off, though the settings and the server would show some', () => {
    expect(picked({ ...CHOSEN_ELSEWHERE, remembered: REMEMBERED }, [], ['en'], { audio: french, subtitle: null })).toEqual({ audio: 2, subtitle: null });
  });

  it('prefers the stream with the same name among several in that language', () => {
    const commentary = { ...stream(6, 'eng'), label: 'Commentary' };
    const next: MediaTracks = { audio: [stream(1, 'eng', true), commentary], subtitles: [] };
    expect(picked(next, [], [], { audio: { ...stream(40, 'eng'), label: 'Commentary' } }).audio).toBe(6);
  });

  it('falls back to the remembered choice, then the settings, for a language the next episode lacks', () => {
    const carried: CarriedTracks = { audio: stream(1, 'jpn'), subtitle: stream(3, 'ita') };
    expect(picked({ ...CHOSEN_ELSEWHERE, remembered: REMEMBERED }, ['en'], ['en'], carried)).toEqual({ audio: 2, subtitle: 4 });
    expect(picked(CHOSEN_ELSEWHERE, ['en'], ['de'], carried)).toEqual({ audio: 1, subtitle: 5 });
  });
});

describe('the indexes a playback reports', () => {
  const tracks: MediaTracks = {
    audio: [stream(1, 'eng', true, undefined, 0), stream(2, 'fre', false, undefined, 1)],
    subtitles: [stream(0, 'ger', false, 'http://proxy/ger.srt'), stream(3, 'eng', true, undefined, 0)],
  };

  it.each([
    ['the file\'s second audio and first subtitle', { audio: { embedded: 1 }, subtitle: { embedded: 0 } }, { audio: 2, subtitle: 3 }],
    ['an external subtitle, by its address', { audio: { embedded: 0 }, subtitle: { url: 'http://proxy/ger.srt' } }, { audio: 1, subtitle: 0 }],
    ['subtitles off as -1', { audio: { embedded: 0 }, subtitle: null }, { audio: 1, subtitle: -1 }],
    ['nothing for a track that is not the server\'s', { audio: { embedded: 5 }, subtitle: { url: 'file:///home/me/own.srt' } }, {}],
  ] as const)('%s', (_what, selected, indexes) => {
    expect(selectedIndexes(tracks, selected)).toEqual(indexes);
  });
});
