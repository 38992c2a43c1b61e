// `npm run bench`: runs every benchmark and prints one line per figure.
import { benchDrain, benchPlaybackHour } from './outbox.js';
import { benchFirstFrame, benchKeypress } from './tui.js';

await benchPlaybackHour();
await benchDrain();
await benchFirstFrame();
await benchKeypress();
