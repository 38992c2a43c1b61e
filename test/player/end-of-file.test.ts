import { describe, expect, it } from 'vitest';
import { judgeFileEnd, type FileEndContext } from '../../src/player/end-of-file.js';
import { AUDIO_OUTPUT_FAILED } from '../../src/player/failure-text.js';

// The judgement the player makes of mpv's end-file, on its own (the player tests show it with real mpv).
const film: FileEndContext = { entryId: 1, playing: true, positionSeconds: 599.5, durationSeconds: 600, skipRequested: false, stopRequested: false, current: 0, count: 1 };

describe('what an end of file means', () => {
  it('is the end at the end, and a stream cut short well before it', () => {
    expect(judgeFileEnd({ reason: 'eof', playlist_entry_id: 1 }, film)).toEqual({ act: 'end', reason: 'eof' });
    expect(judgeFileEnd({ reason: 'eof', playlist_entry_id: 1 }, { ...film, positionSeconds: 300 })).toEqual({ act: 'cut-short' });
    // (within the last 1 % or 10 s is the end)
    expect(judgeFileEnd({ reason: 'eof' }, { ...film, positionSeconds: 591 })).toEqual({ act: 'end', reason: 'eof' });
  });

  it('takes an error for a missing sound device at the end as the end, and another error as a failure', () => {
    expect(judgeFileEnd({ reason: 'error', file_error: AUDIO_OUTPUT_FAILED }, film)).toEqual({ act: 'end', reason: 'eof' });
    expect(judgeFileEnd({ reason: 'error', file_error: 'loading failed' }, film)).toEqual({ act: 'error', fileError: 'loading failed' });
    // (before the first frame, a missing device is not yet known to be the only trouble)
    expect(judgeFileEnd({ reason: 'error', file_error: AUDIO_OUTPUT_FAILED }, { ...film, playing: false })).toEqual({ act: 'error', fileError: AUDIO_OUTPUT_FAILED });
  });

  it('goes between files in a playlist, ends on the last, and ignores another file\'s end', () => {
    const playlist = { ...film, count: 3 };
    expect(judgeFileEnd({ reason: 'eof' }, playlist)).toEqual({ act: 'between', reason: 'eof' });
    expect(judgeFileEnd({ reason: 'eof' }, { ...playlist, current: 2 })).toEqual({ act: 'end', reason: 'eof' });
    expect(judgeFileEnd({ reason: 'stop' }, { ...playlist, skipRequested: true })).toEqual({ act: 'between', reason: 'skip' });
    expect(judgeFileEnd({ reason: 'stop' }, { ...playlist, stopRequested: true })).toEqual({ act: 'end', reason: 'stop' });
    expect(judgeFileEnd({ reason: 'eof', playlist_entry_id: 7 }, playlist)).toEqual({ act: 'ignore' });
    expect(judgeFileEnd({ reason: 'redirect' }, playlist)).toEqual({ act: 'ignore' });
    expect(judgeFileEnd({ reason: 'quit' }, playlist)).toEqual({ act: 'end', reason: 'quit' });
  });
});
