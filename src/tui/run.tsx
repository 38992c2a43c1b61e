import { render } from 'ink';
import type { SettleResult } from '../sync/outbox.js';
import { onShutdown } from '../shutdown.js';
import { App } from './App.js';
import { keyStream } from './key-stream.js';
import { SignInScreen, type QuickConnect, type SignIn } from './components/SignInScreen.js';
import type { TuiServices } from './services.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';

/** Thrown when there is no terminal to draw on (a pipe, cron, CI). */
export class NoTerminalError extends Error {
  constructor() {
    super('reelterm needs an interactive terminal. In scripts use `reelterm --pending` or `reelterm sync`.');
    this.name = 'NoTerminalError';
  }
}

/**
 * Runs the TUI on the alternate screen until the user quits; resolves with what the final
 * sync wait found. The terminal is restored on every way out (quit, Ctrl+C, signals), once.
 */
export function runTui(services: TuiServices, io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream } = process): Promise<SettleResult> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) return Promise.reject(new NoTerminalError());
  io.stdout.write(ENTER_ALT_SCREEN);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.removeListener('exit', restore);
    io.stdout.write(LEAVE_ALT_SCREEN);
  };
  // A second Ctrl+C exits at once, before the teardown reaches this step: leave the alternate
  // screen and show the cursor anyway (a write to a terminal is synchronous; Node resets raw mode).
  process.once('exit', restore);
  return new Promise((resolve) => {
    const instance = render(
      <App
        services={services}
        onExit={(result) => {
          instance.unmount();
          unregister();
          restore();
          resolve(result);
        }}
      />,
      { exitOnCtrlC: false, stdin: keyStream(io.stdin), stdout: io.stdout, patchConsole: true },
    );
    const unregister = onShutdown('restore the terminal', () => {
      instance.unmount();
      restore();
    });
  });
}

/**
 * Shows the sign-in form until a sign-in succeeds (resolves true) or the user cancels
 * (false). Runs on the normal screen, before the TUI takes the alternate one.
 */
export function runSignIn(
  defaults: { server?: string; user?: string },
  onSubmit: SignIn,
  io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream } = process,
  onQuickConnect?: QuickConnect,
): Promise<boolean> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) return Promise.reject(new NoTerminalError());
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      instance.unmount();
      unregister();
      resolve(ok);
    };
    const instance = render(
      <SignInScreen
        defaults={defaults}
        onSubmit={async (form) => {
          const message = await onSubmit(form);
          if (message === undefined) setImmediate(() => finish(true));
          return message;
        }}
        onCancel={() => finish(false)}
        {...(onQuickConnect
          ? {
              onQuickConnect: async (server: string, onCode: (code: string) => void, signal: AbortSignal) => {
                const message = await onQuickConnect(server, onCode, signal);
                if (message === undefined) setImmediate(() => finish(true));
                return message;
              },
            }
          : {})}
      />,
      { exitOnCtrlC: true, stdin: keyStream(io.stdin), stdout: io.stdout },
    );
    const unregister = onShutdown('close the sign-in form', () => instance.unmount());
  });
}
