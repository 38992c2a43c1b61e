import { defineConfig } from 'vitest/config';

/**
 * The soaks scale a real server's minutes down to milliseconds (Jellyfin's 5-minute idle stop
 * is 300 ms there, reelterm's guard 200 ms): their margins are a hundred milliseconds, which a
 * CPU shared with the other worker and the processes its tests spawn can eat (on 2 cores, two
 * full-suite runs in five failed there on 2026-12-02, in ways no run of the soak alone showed).
 * They run after everything else, one at a time, on a machine the suite no longer loads.
 */
const ALONE = ['test/reliability/soak.test.ts', 'test/plex-soak/**/*.test.ts'];

const shared = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'suite',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ALONE,
          // (builds dist/ once, before any test: the soaks need none of it)
          globalSetup: ['test/global-setup.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'alone',
          include: ALONE,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
