/**
 * What mpv says when it cannot play (its log lines and `end-file` reason), turned into one sentence
 * a viewer understands. mpv's own words go to the log, not to the screen: they name addresses and
 * libraries ("tcp: Connection to tcp://127.0.0.1:41234 failed: Connection refused").
 */

/** mpv's `file_error` when a file played but its sound could not be opened (mpv 0.33+). */
export const AUDIO_OUTPUT_FAILED = 'audio output initialization failed';
/** mpv's `file_error` when a file's picture could not be shown. */
export const VIDEO_OUTPUT_FAILED = 'video output initialization failed';

/** What mpv told about a file it could not play. */
export interface MpvFailure {
  /** mpv's error lines, oldest first (warnings included: the HTTP status is one). */
  lines: readonly string[];
  /** `end-file`'s `file_error` ("loading failed", "unrecognized file format"…). */
  fileError?: string;
}

const UNREACHABLE = 'Could not reach the server to play this';

/** Network failures as mpv (ffmpeg) words them, and how to say them. */
const NETWORK: ReadonlyArray<[RegExp, string]> = [
  [/connection refused/i, `${UNREACHABLE}: it refused the connection (is it running?)`],
  [/failed to resolve hostname|name or service not known|temporary failure in name resolution/i, `${UNREACHABLE}: its name could not be found`],
  [/timed? ?out/i, `${UNREACHABLE}: it did not answer in time`],
  [/network is unreachable|no route to host/i, `${UNREACHABLE}: the network is unreachable`],
  [/connection reset|broken pipe|end of file/i, `${UNREACHABLE}: the connection was cut`],
  [/certificate|\btls\b|ssl/i, `${UNREACHABLE}: the secure connection failed`],
];

/** An HTTP status mpv met opening the stream, as a sentence. */
function httpSentence(status: number): string {
  if (status === 401 || status === 403) return `The server refused to stream this (HTTP ${status}): sign in again`;
  if (status === 404 || status === 410) return `The server has no file to play for this (HTTP ${status})`;
  // reelterm's stream proxy answers 502 when the server cannot be reached; 503 and 504 come from proxies in front of it.
  if (status === 502 || status === 503 || status === 504) return `${UNREACHABLE}: it did not answer (HTTP ${status})`;
  return `The server could not stream this (HTTP ${status})`;
}

/** The sentence for a file mpv could not play. Never empty; never mpv's raw words. */
export function describeFailure(failure: MpvFailure): string {
  const said = failure.lines.join('\n');
  const status = /HTTP error (\d{3})/i.exec(said);
  if (status !== null) return httpSentence(Number(status[1]));
  for (const [pattern, sentence] of NETWORK) if (pattern.test(said)) return sentence;
  if (/recogni[sz]e file format|unrecognized file format/i.test(`${said}\n${failure.fileError ?? ''}`)) {
    return 'mpv cannot play this file: it does not recognise its format';
  }
  if (failure.fileError === VIDEO_OUTPUT_FAILED || /video_out|--vo\b/.test(said)) {
    return 'mpv could not open a window here (no display?) and so played nothing; to listen only, add --vo=null to mpvArgs';
  }
  if (failure.fileError === AUDIO_OUTPUT_FAILED) return 'mpv found no sound device here and nothing else to play';
  if (/failed to open/i.test(said)) return `${UNREACHABLE}: the stream could not be opened`;
  return 'mpv could not play this (the log says why)';
}

/** "3:12" for 192 seconds; "1:02:03" past an hour. */
export function clockTime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** A stream that broke off before its end, as a sentence. */
export function cutShortSentence(positionSeconds: number, durationSeconds: number): string {
  return `The stream broke off at ${clockTime(positionSeconds)} of ${clockTime(durationSeconds)} (the connection to the server was lost?); the position is saved`;
}
