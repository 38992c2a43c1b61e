import { render, type Instance } from 'ink';
import { log } from '../log.js';
import type { SettleResult } from '../sync/outbox.js';
import { onShutdown } from '../shutdown.js';
import { App } from './App.js';
import { keyStream } from './key-stream.js';
import { SignInScreen, type CodeSignIn, type QuickConnect, type SignIn } from './components/SignInScreen.js';
import type { TuiServices } from './services.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h';
/** The TUI's frames start at the top of the alternate screen, where `drawInPlace` finds its lines. */
const HOME_CURSOR = '\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';

/** Thrown when there is no terminal to draw on (a pipe, cron, CI). */
export class NoTerminalError extends Error {
  constructor() {
    super('reelterm needs an interactive terminal. In scripts use `reelterm --pending` or `reelterm sync`.');
    this.name = 'NoTerminalError';
  }
}

/**
 * A closed terminal (its window closed, the ssh connection gone) fails every read and write
 * with EIO, and an unhandled stream error ends the process at once. The SIGHUP that comes with
 * it starts the teardown, which must still queue mpv's last position and write the queue; so a
 * frame that cannot be drawn any more is noted, not fatal.
 */
function surviveTerminalLoss(io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream }): void {
  let noted = false;
  const onError = (error: Error) => {
    if (!noted) log.info('the terminal is gone', { error: error.message });
    noted = true;
  };
  io.stdin.on('error', onError);
  io.stdout.on('error', onError);
}

/**
 * The terminal as Ink is given it. Once the screen is being left, it says it can no longer be
 * written to, and Ink's unmount skips what it does for a terminal it still draws on: laying out
 * and drawing one last frame of the whole screen (6–12 ms that `q` waited for), which leaving the
 * alternate screen throws away at once. Writes still reach the terminal.
 */
function inkStdout(stdout: NodeJS.WriteStream): { stream: NodeJS.WriteStream; leaving(): void } {
  let left = false;
  const stream = new Proxy(stdout, {
    get(target, key) {
      if (key === 'writable' && left) return false;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { stream, leaving: () => (left = true) };
}

/**
 * Runs the TUI on the alternate screen until the user quits; resolves with what the final
 * sync wait found. The terminal is restored on every way out (quit, Ctrl+C, signals), once.
 */
export function runTui(services: TuiServices, io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream } = process): Promise<SettleResult> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) return Promise.reject(new NoTerminalError());
  surviveTerminalLoss(io);
  io.stdout.write(ENTER_ALT_SCREEN + HOME_CURSOR);
  let instance: Instance | undefined;
  let restored = false;
  const stdout = inkStdout(io.stdout);
  // Ink unmounted first, then the main screen back: a frame Ink drew after that would land on
  // the user's shell.
  const restore = () => {
    if (restored) return;
    restored = true;
    process.removeListener('exit', restore);
    stdout.leaving();
    instance?.unmount();
    io.stdout.write(LEAVE_ALT_SCREEN);
  };
  // Any way out that skips the teardown (an uncaught error, an exit elsewhere) restores the
  // terminal too: a write to a terminal is synchronous, and Node resets raw mode.
  process.once('exit', restore);
  return new Promise((resolve) => {
    instance = render(
      <App
        services={services}
        onExit={(result) => {
          unregister();
          restore();
          resolve(result);
        }}
      />,
      { exitOnCtrlC: false, stdin: keyStream(io.stdin), stdout: stdout.stream, patchConsole: true },
    );
    const unregister = onShutdown('restore the terminal', restore);
  });
}

/**
 * Shows the sign-in form until a sign-in succeeds (resolves true) or the user cancels
 * (false). It is drawn on the alternate screen, as the TUI is: once left (signed in, cancelled,
 * quit later), nothing of it stays on the user's terminal.
 */
export function runSignIn(
  defaults: { server?: string; user?: string },
  onSubmit: SignIn,
  io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream } = process,
  onQuickConnect?: QuickConnect,
  onCodeLink?: CodeSignIn,
): Promise<boolean> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) return Promise.reject(new NoTerminalError());
  surviveTerminalLoss(io);
  io.stdout.write(ENTER_ALT_SCREEN);
  let instance: Instance | undefined;
  let left = false;
  const stdout = inkStdout(io.stdout);
  // As in runTui: Ink unmounted, then the main screen back, once, on every way out.
  const leave = () => {
    if (left) return;
    left = true;
    process.removeListener('exit', leave);
    stdout.leaving();
    instance?.unmount();
    io.stdout.write(LEAVE_ALT_SCREEN);
  };
  process.once('exit', leave);
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      // Once left (Ctrl+C, esc), a sign-in still in flight does not open the TUI after all.
      if (done) return;
      done = true;
      leave();
      unregister();
      resolve(ok);
    };
    // Ctrl+C is a key in raw mode: made the signal it stands for, so the one teardown runs and
    // reelterm exits 130 as a shell expects, never 0 as if it had signed in. The form is not
    // resolved (its caller would say "Not signed in." and end with 1 before the signal is
    // handled); it is left on the way out (on 'exit', above), and a sign-in still in flight
    // goes nowhere.
    const interrupt = () => {
      done = true;
      process.kill(process.pid, 'SIGINT');
    };
    instance = render(
      <SignInScreen
        defaults={defaults}
        onSubmit={async (form) => {
          const message = await onSubmit(form);
          if (message === undefined) setImmediate(() => finish(true));
          return message;
        }}
        onCancel={() => finish(false)}
        onInterrupt={interrupt}
        {...(onQuickConnect
          ? {
              onQuickConnect: async (server: string, onCode: (code: string) => void, signal: AbortSignal) => {
                const message = await onQuickConnect(server, onCode, signal);
                if (message === undefined) setImmediate(() => finish(true));
                return message;
              },
            }
          : {})}
        {...(onCodeLink
          ? {
              onCodeLink: async (onCode: (code: string, url: string) => void, signal: AbortSignal) => {
                const message = await onCodeLink(onCode, signal);
                if (message === undefined) setImmediate(() => finish(true));
                return message;
              },
            }
          : {})}
      />,
      { exitOnCtrlC: false, stdin: keyStream(io.stdin), stdout: stdout.stream },
    );
    const unregister = onShutdown('close the sign-in form', leave);
  });
}
