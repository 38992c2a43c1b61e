import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

describe('reelterm --demo', () => {
  it('starts the demo server, signs in, and says where it listens even without a terminal', async () => {
    const home = await tempDir();
    const result = await runCli(['--demo'], { home });
    expect(result.stdout).toMatch(/^Demo server: http:\/\/127\.0\.0\.1:\d+, Jellyfin 10\.11\.11 rules \(user "demo", password "demo"\)\n/);
    const port = /^Demo server: http:\/\/127\.0\.0\.1:(\d+),/.exec(result.stdout)![1];
    expect(result.stdout).toContain(`Fault switches: curl -d '{"fault":"offline","forMs":30000}' http://127.0.0.1:${port}/__demo/faults   (30 s offline; {"fault":"clear"} ends any fault)`);
    expect(result.stdout).toContain(`Another device: curl -d '{"action":"markPlayed","item":"<item name>"}' http://127.0.0.1:${port}/__demo/device`);
    expect(result.stderr).toContain('reelterm needs an interactive terminal. In scripts use `reelterm --pending --demo` or `reelterm sync --demo`.');
    expect(result.code).toBe(2);
  });

  it('follows Jellyfin 12.0\'s rules with --demo-version 12.0, and names the versions it knows otherwise', async () => {
    const home = await tempDir();
    const result = await runCli(['--demo', '--demo-version', '12.0'], { home });
    expect(result.stdout).toMatch(/^Demo server: http:\/\/127\.0\.0\.1:\d+, Jellyfin 12\.0\.0 rules/);
    const wrong = await runCli(['--demo', '--demo-version', '10.9'], { home });
    expect(wrong.stderr).toMatch(/'10\.9' is invalid.*10\.11, 12\.0/s);
    expect(wrong.code).not.toBe(0);
  });

  it('keeps its own queue apart from the real one', async () => {
    const home = await tempDir();
    const result = await runCli(['--demo', '--pending', '--json'], { home });
    expect(JSON.parse(result.stdout).file).toBe(`${home}/data/demo/queue.json`);
  });
});
