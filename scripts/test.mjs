// `npm test`: type-checks, builds, runs vitest, and always ends with the plain summary line CI
// reads: "vitest: N passed, N failed, N skipped". A failed type-check or build, a crashed run,
// or a failure vitest counts outside its tests (a file that cannot load, a failing hook, an
// unhandled error) is counted as a failure there, never hidden. Extra arguments go to vitest.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env };
if (env.CI) env.NO_COLOR = '1';

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

function finish(line, code) {
  console.log(line);
  process.exit(code);
}

for (const [what, command, args] of [
  ['type-check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['build', process.execPath, ['scripts/build.mjs']],
]) {
  console.log(`> ${what}`);
  const code = await run(command, args);
  if (code !== 0) finish(`The ${what} failed: no test ran.\nvitest: 0 passed, 1 failed, 0 skipped`, code);
}

const dir = mkdtempSync(join(tmpdir(), 'reelterm-vitest-'));
const report = join(dir, 'report.json');
const code = await run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
let summary = 'vitest wrote no report (it crashed before the end; its own output says why)\nvitest: 0 passed, 1 failed, 0 skipped';
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  let failed = r.numFailedTests;
  // Failures outside any one test: count each failed file (or one) so the line never says 0.
  if (code !== 0 && failed === 0) failed = Math.max(1, r.numFailedTestSuites ?? 0);
  summary = `vitest: ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`;
} catch {
  // the default summary above
}
rmSync(dir, { recursive: true, force: true });
finish(summary, code === 0 ? 0 : code || 1);
