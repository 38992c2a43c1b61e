import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

describe('reelterm --demo', () => {
  it('starts the demo server, signs in, and says where it listens even without a terminal', async () => {
    const home = await tempDir();
    const result = await runCli(['--demo'], { home });
    expect(result.stdout).toMatch(/^Demo server: http:\/\/127\.0\.0\.1:\d+ \(user "demo", password "demo"\)\n/);
    expect(result.stdout).toMatch(/Fault switches: curl -d '\{"fault":"offline"\}' http:\/\/127\.0\.0\.1:\d+\/__demo\/faults/);
    expect(result.stderr).toContain('reelterm needs an interactive terminal');
    expect(result.code).toBe(2);
  });

  it('keeps its own queue apart from the real one', async () => {
    const home = await tempDir();
    const result = await runCli(['--demo', '--pending', '--json'], { home });
    expect(JSON.parse(result.stdout).file).toBe(`${home}/data/demo/queue.json`);
  });
});
