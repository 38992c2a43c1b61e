import { describe, expect, it } from 'vitest';
import { cutShortSentence, describeFailure } from '../../src/player/failure-text.js';

// mpv 0.35's own lines, as it printed them here for each failure (through reelterm's loopback proxy or not).
const CASES: Array<[string, { lines: string[]; fileError?: string }, string]> = [
  ['nothing listens', { lines: ['tcp: Connection to tcp://127.0.0.1:41234 failed: Connection refused', 'Failed to open http://127.0.0.1:41234/x.'] }, 'Could not reach the server to play this: it refused the connection (is it running?)'],
  ['an unknown host', { lines: ['tcp: Failed to resolve hostname jf.invalid: Name or service not known', 'Failed to open http://jf.invalid/x.'] }, 'Could not reach the server to play this: its name could not be found'],
  ['the proxy could not reach the server', { lines: ['http: HTTP error 502 Bad Gateway', 'Failed to open http://127.0.0.1:41234/a1b2/Videos/1/stream.'] }, 'Could not reach the server to play this: it did not answer (HTTP 502)'],
  ['a refused sign-in', { lines: ['http: HTTP error 401 Unauthorized', 'Failed to open http://127.0.0.1:41234/x.'] }, 'The server refused to stream this (HTTP 401): sign in again'],
  ['a file the server lost', { lines: ['http: HTTP error 404 Not Found', 'Failed to open http://127.0.0.1:41234/x.'] }, 'The server has no file to play for this (HTTP 404)'],
  ['a server error', { lines: ['http: HTTP error 500 Internal Server Error'] }, 'The server could not stream this (HTTP 500)'],
  ['a TLS failure', { lines: ['tls: An unexpected TLS packet was received.', 'Failed to open https://127.0.0.1:41234/x.'] }, 'Could not reach the server to play this: the secure connection failed'],
  ['not a video', { lines: ['Failed to recognize file format.'], fileError: 'unrecognized file format' }, 'mpv cannot play this file: it does not recognise its format'],
  ['no window at all', { lines: ["couldn't open the X11 display ()!", 'Error opening/initializing the selected video_out (--vo) device.'], fileError: 'something happened' }, 'mpv could not open a window here (no display?) and so played nothing; to listen only, add --vo=null to mpvArgs'],
  ['a bare "failed to open"', { lines: ['Failed to open http://127.0.0.1:41234/x.'] }, 'Could not reach the server to play this: the stream could not be opened'],
  ['nothing said', { lines: [], fileError: 'loading failed' }, 'mpv could not play this (the log says why)'],
];

describe('what the viewer reads when mpv cannot play', () => {
  it.each(CASES)('%s', (_name, failure, sentence) => {
    expect(describeFailure(failure)).toBe(sentence);
  });

  it('never shows mpv\'s addresses or library names', () => {
    for (const [, failure] of CASES) expect(describeFailure(failure)).not.toMatch(/tcp:|http:\/\/|127\.0\.0\.1|X11|video_out/);
  });

  it('says where a stream broke off, in the viewer\'s clock', () => {
    expect(cutShortSentence(149.6, 600)).toBe('The stream broke off at 2:29 of 10:00 (the connection to the server was lost?); the position is saved');
    expect(cutShortSentence(3723, 7200)).toMatch(/^The stream broke off at 1:02:03 of 2:00:00 /);
  });
});
