// `npm run bench`: runs every benchmark and prints one line per figure.
import { benchDrain, benchPlaybackHour } from './outbox.js';

await benchPlaybackHour();
await benchDrain();
