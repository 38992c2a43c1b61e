// scratch: profile reelterm --demo up to its first frame (not committed)
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reeltermBin } from './bundles.js';
import { Pty } from './pty.js';
import { sleep } from './measure.js';
const home = await mkdtemp(join(tmpdir(), 'ff-'));
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', REELTERM_HOME: home };
delete env.CI;
const app = Pty.start([process.execPath, '--cpu-prof', `--cpu-prof-dir=${process.env.PROF_DIR ?? '/tmp/ff'}`, '--cpu-prof-interval=250', process.env.APP_BIN ?? await reeltermBin(), '--demo'], { env, rows: 30, columns: 100 });
const t = await app.waitFrame((s) => /Libraries/.test(s) && /Movies/.test(s), app.startedAt, 30000, 'home');
console.log('first frame after', Math.round(t.at - app.startedAt), 'ms');
await sleep(300);
app.press('q');
await app.exited;
