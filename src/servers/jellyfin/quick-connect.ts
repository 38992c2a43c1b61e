import { ApiError } from './errors.js';
import { sleep } from '../http/sleep.js';
import type { JellyfinClient } from './client.js';
import type { SignIn } from './types.js';
import { log } from '../../log.js';

/** How a Quick Connect sign-in waits for approval. */
export interface QuickConnectOptions {
  /** Shown to the user: the code to enter in another signed-in Jellyfin app. */
  onCode(code: string): void;
  /** How long to wait for approval (default 5 minutes; the server forgets the code after 10). */
  timeoutMs?: number;
  /** How often to ask the server (default 2 s). */
  pollMs?: number;
  /** Aborting stops waiting (esc, Ctrl+C); nothing is stored. */
  signal?: AbortSignal;
}


/**
 * Runs Quick Connect on `client`: asks for a code, shows it, waits (bounded) until it is
 * approved in another signed-in Jellyfin app, then signs the client in. A network hiccup while
 * waiting is retried; expiry, a server with Quick Connect off, the timeout and cancelling end it
 * with a message the user can act on. Stores nothing: the caller decides.
 */
export async function approveQuickConnect(client: JellyfinClient, options: QuickConnectOptions): Promise<SignIn | { error: string }> {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const signal = options.signal ? { signal: options.signal } : {};
  const cancelled = { error: 'Quick Connect cancelled; nothing was stored.' };
  try {
    if (!(await client.quickConnectEnabled(signal))) {
      return { error: `${client.serverUrl}: Quick Connect is turned off on this server (an administrator can enable it in the dashboard). Sign in with a password instead.` };
    }
    const request = await client.initiateQuickConnect(signal);
    options.onCode(request.code);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (options.signal?.aborted) return cancelled;
      if (Date.now() >= deadline) return { error: `Code ${request.code} was not approved within ${Math.round(timeoutMs / 1000)} s. Run it again for a new code.` };
      await sleep(Math.min(options.pollMs ?? 2000, Math.max(0, deadline - Date.now())), options.signal);
      if (options.signal?.aborted) return cancelled;
      try {
        if ((await client.quickConnectState(request.secret, signal)).authenticated) break;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return { error: `Code ${request.code} expired on the server. Run it again for a new code.` };
        if (!(error instanceof ApiError) || error.kind !== 'retryable') throw error;
        log.info('quick connect poll failed; trying again', { error: error.message });
      }
    }
    return await client.authenticateWithQuickConnect(request.secret, signal);
  } catch (error) {
    if (options.signal?.aborted) return cancelled;
    log.warn('quick connect failed', { server: client.serverUrl, error });
    return { error: `Quick Connect failed: ${(error as Error).message}` };
  }
}
