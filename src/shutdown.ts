import { log } from './log.js';

/** One teardown step (flush the queue, stop mpv, restore the terminal), run once, in registration order. */
type Step = { name: string; run: () => Promise<void> | void };

const steps: Step[] = [];
let running: Promise<void> | undefined;
/** The teardown has run its course: nothing is left to lose by exiting. */
let tornDown = false;
let installed = false;

/** Registers a teardown step; returns a function that removes it (when the step already ran its course). */
export function onShutdown(name: string, run: Step['run']): () => void {
  const step = { name, run };
  steps.push(step);
  return () => {
    const index = steps.indexOf(step);
    if (index >= 0) steps.splice(index, 1);
  };
}

/**
 * Runs every teardown step once, in order, each bounded so a hung step cannot keep the
 * user waiting; the whole shutdown is bounded by `deadlineMs`.
 */
export function shutdown(deadlineMs = 1500): Promise<void> {
  running ??= (async () => {
    const deadline = Date.now() + deadlineMs;
    for (const step of steps.splice(0)) {
      const left = Math.max(50, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(step.run),
          new Promise((resolve) => {
            timer = setTimeout(resolve, left);
          }),
        ]);
      } catch (error) {
        log.warn(`teardown step failed: ${step.name}`, { error });
      } finally {
        clearTimeout(timer);
      }
    }
    tornDown = true;
  })();
  return running;
}

/** The signals reelterm ends on, and the exit code of each (128 + the signal's number). */
const EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Makes SIGINT, SIGTERM and SIGHUP run the teardown and exit (130, 143, 129): the one
 * place that owns exit. The teardown is bounded (see `shutdown`), so a second signal while it
 * runs (Ctrl+C pressed twice or held, a supervisor that repeats SIGTERM) does not cut it
 * short: that would lose mpv's last position. Once it is done, a signal exits at once.
 *
 * reelterm keeps these signals to itself. Libraries hook them to clean up and then send the
 * signal again to end the process (conf's atomically did, through when-exit), which ended
 * reelterm a millisecond into its teardown, before mpv's last position was queued. Their
 * clean-up also runs on 'exit', which still comes, so their listeners for these signals are
 * taken off as soon as they are added.
 */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const ours = new Map<string, () => void>();
  for (const [signal, code] of Object.entries(EXIT_CODES)) {
    const handler = () => {
      if (running === undefined) void shutdown().finally(() => process.exit(code));
      else if (tornDown) process.exit(code);
    };
    ours.set(signal, handler);
    for (const listener of process.listeners(signal as NodeJS.Signals)) process.removeListener(signal, listener);
    process.on(signal, handler);
  }
  // A reader that goes away (`reelterm --pending | head`) is SIGPIPE to other programs; Node
  // ignores that signal and reports EPIPE on the stream instead, which would end reelterm with
  // a stack trace. It ends as a signal does (the teardown, then 128 + SIGPIPE's 13), quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' && running === undefined) void shutdown().finally(() => process.exit(141));
    });
  }
  process.on('newListener', (event: string | symbol, listener: (...args: unknown[]) => void) => {
    if (typeof event !== 'string' || !ours.has(event) || listener === ours.get(event)) return;
    // 'newListener' comes before the listener is added; a signal cannot arrive before this runs.
    queueMicrotask(() => process.removeListener(event, listener));
  });
}
