// Runs vitest and ends with the plain summary line CI reads:
// "vitest: N passed, N failed, N skipped". Extra arguments go to vitest.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'reelterm-vitest-'));
const report = join(dir, 'report.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const env = { ...process.env };
if (env.CI) env.NO_COLOR = '1';
const child = spawn('npx', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
child.on('exit', (code, signal) => {
  let summary = 'vitest: no report was written';
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    summary = `vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`;
  } catch {
    // vitest crashed before writing its report; its own output says why.
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(summary);
  process.exit(code ?? (signal ? 1 : 0));
});
