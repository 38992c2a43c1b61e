import { log } from './log.js';

/** One teardown step (flush the queue, stop mpv, restore the terminal), run once, in registration order. */
type Step = { name: string; run: () => Promise<void> | void };

const steps: Step[] = [];
let running: Promise<void> | undefined;
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
  })();
  return running;
}

/**
 * Makes SIGINT, SIGTERM and SIGHUP run the teardown and exit (130, 143, 129): the one
 * place that owns exit. A second Ctrl+C exits at once.
 */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(codes)) {
    process.on(signal, () => {
      if (running !== undefined) process.exit(code);
      void shutdown().finally(() => process.exit(code));
    });
  }
}
