/**
 * reelterm's entry point. A plain `--pending` (scripts and status bars run it again and again)
 * goes to its own one-file bundle; every other command line to the CLI. Nothing is imported
 * before that choice, so neither loads the other's code.
 */

/** The flags of `reelterm --pending` as scripts and status bars run it. */
const PENDING_FLAGS: ReadonlySet<string> = new Set(['--pending', '--json', '--demo']);

/**
 * `--pending` with `--json` and `--demo` (in any order, each once) and nothing else. Any other
 * command line, `--debug` and `--help` included, is commander's (src/cli/main.ts).
 */
function plainPending(args: readonly string[]): { json: boolean; demo: boolean } | undefined {
  if (!args.includes('--pending') || new Set(args).size !== args.length || !args.every((arg) => PENDING_FLAGS.has(arg))) return undefined;
  return { json: args.includes('--json'), demo: args.includes('--demo') };
}

const pending = plainPending(process.argv.slice(2));
// (dist/pending.js once built: scripts/build.mjs points the first import there)
if (pending !== undefined) void import('./cli/pending.js').then(({ runPending }) => runPending(pending));
else void import('./cli/main.js').then(({ runCli }) => runCli(process.argv));
