import { execFileSync } from 'node:child_process';

/** Builds dist/ once before the suite, so tests that run bin/reelterm test the current sources. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
