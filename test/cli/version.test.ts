import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-home.js';

describe('reelterm --version', () => {
  it('says the version package.json gives (what npm publishes), as the server is told', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(version);
    expect(await runCli(['--version'], { home: await tempDir() })).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
