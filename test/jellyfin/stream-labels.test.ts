import type { MediaStream } from '@jellyfin/sdk/lib/generated-client/models/index.js';
import { describe, expect, it } from 'vitest';
import { languageName, streamLabels } from '../../src/servers/jellyfin/stream-labels.js';

describe('track names', () => {
  it('read as language and flags, without the codec', () => {
    const streams: MediaStream[] = [
      { Type: 'Subtitle', Language: 'ger', Codec: 'srt', IsExternal: true },
      { Type: 'Audio', Language: 'eng', Codec: 'aac', IsDefault: true, DisplayTitle: 'English - AAC - Mono - Default' },
      { Type: 'Audio', Language: 'fre', Codec: 'aac', DisplayTitle: 'Fre - AAC - Mono' },
      { Type: 'Subtitle', Language: 'eng', Codec: 'mov_text', IsDefault: true, DisplayTitle: 'English - Default - MOV_TEXT' },
      { Type: 'Subtitle', Language: 'eng', Codec: 'subrip', IsForced: true },
      { Type: 'Subtitle', Language: 'und', Codec: 'srt' },
    ];
    expect(streamLabels(streams)).toEqual(['German · external', 'English (default)', 'French', 'English (default)', 'English (forced)', 'Track 4']);
  });

  it('keep a track\'s own title, and name the codec only where two would read the same', () => {
    const streams: MediaStream[] = [
      { Type: 'Audio', Language: 'eng', Codec: 'truehd', IsDefault: true },
      { Type: 'Audio', Language: 'eng', Codec: 'ac3' },
      { Type: 'Audio', Language: 'eng', Codec: 'ac3', Title: 'Commentary' },
      { Type: 'Audio', Language: 'jpn', Codec: 'aac' },
      { Type: 'Audio', Language: 'jpn', Codec: 'aac' },
      { Type: 'Subtitle', Language: 'eng', Codec: 'srt' },
    ];
    expect(streamLabels(streams)).toEqual(['English (default)', 'English', 'English · Commentary', 'Japanese · track 4', 'Japanese · track 5', 'English']);
    expect(streamLabels([streams[1]!, { ...streams[1]!, Codec: 'aac' }])).toEqual(['English · AC3', 'English · AAC']);
  });

  it.each([
    ['eng', 'English'],
    ['en-US', 'American English'],
    ['deu', 'German'],
    ['ger', 'German'],
    ['und', undefined],
    ['klingon', 'Klingon'],
    [undefined, undefined],
  ])('language %s reads as %s', (code, name) => {
    expect(languageName(code)).toBe(name);
  });

  it('strip control characters the server sends in a title', () => {
    expect(streamLabels([{ Type: 'Audio', Language: 'eng', Title: 'Comm\u001b[31mentary' }])[0]).not.toContain('\u001b');
  });
});
