import type { Credentials } from '../config/credentials.js';
import { log } from '../log.js';
import { NAMED_KINDS, parseServerAddress, plexIdentity, signInWithPlexTv, signInWithToken, type PlexServerChoice, type PlexSignedIn } from '../servers/index.js';
import { VERSION } from '../version.js';
import { accountServiceUrl, connectOptions, type AppContext, noticeText } from './context.js';
import { accountSwitchGate, queueAfterSignIn, signedInText, type SignedIn, type SignInFailure } from './login.js';
import type { CommandResult } from './pending.js';
import type { Prompter } from './prompt.js';

export interface PlexLoginOptions {
  /** `--server`: the server's name among the account's, or (with `--token`) its address. */
  server?: string;
  /** `--token`: sign in with a token instead of a code (read from `REELTERM_PLEX_TOKEN`, else asked without echo). */
  token?: boolean;
  prompter: Prompter;
  say(line: string): void;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the code to be entered (default 15 minutes). */
  timeoutMs?: number;
  pollMs?: number;
}

/** The server among the account's: the one named by `--server`, the only one, or the one the user picks. */
async function choose(servers: readonly PlexServerChoice[], options: PlexLoginOptions): Promise<number | undefined> {
  if (options.server !== undefined) {
    const wanted = options.server.trim().toLowerCase();
    const at = servers.findIndex((server) => server.name.toLowerCase() === wanted);
    if (at === -1) options.say(`No server named "${options.server}" in this account; it has: ${servers.map((server) => server.name).join(', ')}.`);
    return at === -1 ? undefined : at;
  }
  if (servers.length === 1) return 0;
  options.say('Your Plex servers:');
  servers.forEach((server, at) => {
    const where = 'url' in server.reached ? `answers at ${server.reached.url}` : 'no connection answers now';
    options.say(`  ${at + 1}. ${server.name} (${server.owned ? 'yours' : 'shared with you'}) · ${where}`);
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    let typed: string;
    try {
      typed = await options.prompter.ask(`Which one (1-${servers.length})`, '1');
    } catch {
      options.say('No terminal to ask on: pass --server NAME to choose one.');
      return undefined;
    }
    const answer = Number.parseInt(typed, 10);
    if (answer >= 1 && answer <= servers.length) return answer - 1;
    options.say(`Type a number from 1 to ${servers.length}.`);
  }
  return undefined;
}

/** How a Plex sign-in runs: with a code (shown by `onCode`) and a way to choose the server, or with a token. */
export interface PlexSignInWay {
  onCode(code: string, url: string): void;
  chooseServer(servers: readonly PlexServerChoice[]): Promise<number | undefined>;
  say(line: string): void;
  signal?: AbortSignal;
  timeoutMs?: number;
  pollMs?: number;
  /** With a token the user has: the server's address and the token (no code). */
  token?: { serverUrl: string; token: string };
}

/**
 * Signs in to a Plex server, with a code entered at plex.tv/link (then one of the account's
 * servers, reached at the first of its connections that answers) or with a token, and stores
 * the server's own token with the kind of server (0600). Nothing is stored on failure. Shared
 * by `reelterm login --plex` and the TUI's sign-in form.
 */
export async function plexSignIn(context: AppContext, way: PlexSignInWay, env: NodeJS.ProcessEnv = process.env): Promise<SignedIn | SignInFailure> {
  const base = connectOptions(context, 'http://127.0.0.1');
  const identity = plexIdentity({ deviceId: base.deviceId, deviceName: base.deviceName, clientVersion: VERSION });
  const common = { identity, timeoutMs: base.timeoutMs, insecure: base.insecure, ...(accountServiceUrl(env) !== undefined ? { plexTvUrl: accountServiceUrl(env)! } : {}) };
  const signedIn: PlexSignedIn | { error: string } = way.token
    ? await signInWithToken({ ...common, serverUrl: way.token.serverUrl, token: way.token.token })
    : await signInWithPlexTv({
        ...common,
        onCode: way.onCode,
        chooseServer: way.chooseServer,
        say: way.say,
        ...(way.signal ? { signal: way.signal } : {}),
        ...(way.timeoutMs !== undefined ? { linkTimeoutMs: way.timeoutMs } : {}),
        ...(way.pollMs !== undefined ? { pollMs: way.pollMs } : {}),
      });
  if ('error' in signedIn) return { error: signedIn.error };
  const gate = await accountSwitchGate(context, signedIn.serverUrl, signedIn.userName);
  if (gate.error !== undefined) return { error: gate.error };
  const credentials: Credentials = {
    kind: NAMED_KINDS.plex,
    server: signedIn.serverUrl,
    ...(signedIn.serverId !== undefined ? { serverId: signedIn.serverId } : {}),
    userId: signedIn.userId,
    userName: signedIn.userName,
    token: signedIn.token,
  };
  context.credentials.save(credentials);
  log.info('signed in to plex', { server: signedIn.serverUrl, user: signedIn.userName });
  return { credentials, ...(await queueAfterSignIn(context, credentials)) };
}

/** Without a way to ask (the TUI's form): the first server that answers, the user's own before a shared one. */
export function firstReachable(servers: readonly PlexServerChoice[]): number | undefined {
  const order = servers.map((server, at) => ({ server, at })).sort((a, b) => Number(b.server.owned) - Number(a.server.owned));
  return order.find(({ server }) => 'url' in server.reached)?.at ?? order[0]?.at;
}

/**
 * `reelterm login --plex`: a code to enter at plex.tv/link, then one of the account's servers
 * (`--server NAME`, the only one, or a question); or, with `--token`, straight to a server's
 * address with a token the user has.
 */
export async function plexLoginCommand(context: AppContext, options: PlexLoginOptions): Promise<CommandResult> {
  const notices = noticeText(context.notices);
  const failed = (error: string): CommandResult => ({ stdout: '', stderr: `${notices}${error}\n`, exitCode: 1 });
  const env = options.env ?? process.env;
  let token: { serverUrl: string; token: string } | undefined;
  if (options.token) {
    if (options.server === undefined) return failed("With --token, --server gives the server's address (e.g. http://192.168.1.10:32400).");
    const parsed = parseServerAddress(options.server);
    if ('error' in parsed) return failed(parsed.error);
    let typed: string;
    try {
      typed = env.REELTERM_PLEX_TOKEN?.trim() || (await options.prompter.askSecret('Plex token')).trim();
    } catch (error) {
      return failed(`${(error as Error).message.replace(/pass --server.*$/, 'set REELTERM_PLEX_TOKEN.')}`);
    }
    if (typed === '') return failed('A token is needed: set REELTERM_PLEX_TOKEN, or type it when asked.');
    token = { serverUrl: parsed.url, token: typed };
  }
  let result: SignedIn | SignInFailure;
  try {
    result = await plexSignIn(
      context,
      {
        onCode: (code, url) => options.say(`Open https://plex.tv/link and enter the code ${code}\n(or open ${url}). Waiting…`),
        chooseServer: (servers) => choose(servers, options),
        say: options.say,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
        ...(token ? { token } : {}),
      },
      env,
    );
  } catch (error) {
    return failed((error as Error).message);
  }
  if ('error' in result) return failed(result.error);
  return { stdout: signedInText(result), stderr: notices, exitCode: 0 };
}
