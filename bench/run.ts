// `npm run bench`: runs every benchmark and prints one line per figure.
import { benchDrain, benchPlaybackHour } from './outbox.js';
import { benchPlayback } from './playback.js';
import { benchFirstFrame, benchKeypress, benchPlaybackCpu } from './tui.js';

await benchPlaybackHour();
await benchDrain();
await benchPlayback();
await benchFirstFrame();
await benchKeypress();
await benchPlaybackCpu();
