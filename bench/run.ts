// `npm run bench`: runs every benchmark and prints one line per figure.
import { benchPlaybackHour } from './outbox.js';

await benchPlaybackHour();
