import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

describe('reelterm --demo', () => {
  it('starts the demo server, signs in, and says where it listens even without a terminal', async () => {
    const home = await tempDir();
    const result = await runCli(['--demo'], { home });
    expect(result.stdout).toMatch(/^Demo server: http:\/\/127\.0\.0\.1:\d+, Jellyfin 10\.11\.11 rules \(user "demo", password "demo"\)\n/);
    expect(result.stdout).toMatch(/Another device: curl -d '\{"action":"markPlayed","item":"<item name>"\}' http:\/\/127\.0\.0\.1:\d+\/__demo\/device/);
    expect(result.stdout).toMatch(/Fault switches: curl -d '\{"fault":"offline"\}' http:\/\/127\.0\.0\.1:\d+\/__demo\/faults/);
    expect(result.stderr).toContain('reelterm needs an interactive terminal');
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
