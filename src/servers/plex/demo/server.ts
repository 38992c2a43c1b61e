/**
 * Starts the demo Plex server: the PMS half and the plex.tv half on their own loopback ports, a
 * relay forwarder, the generated library and the watch-state rules, and gives tests their handles.
 */
import { createHash } from 'node:crypto';
import { locateClip, startListener, type DemoListener } from '../../demo-kit/index.js';
import { PlexAccounts, type PlexAccount } from './accounts.js';
import { ADMIN_PATH, handleAdmin, type AdminDesk } from './admin.js';
import type { PlexDemoState } from './context.js';
import { malformedReply, PlexFaults, plexTvStatusFault, pmsStatusFault } from './faults.js';
import { PlexJournal } from './journal.js';
import { PlexLibrary } from './library.js';
import { SelectionStore } from './media.js';
import { halfHandler } from './pipeline.js';
import { Pins } from './pins.js';
import { deadPort, startRelay } from './relay.js';
import { htmlError, plexTvError } from './reply.js';
import { HttpError } from './request.js';
import { Router } from './router.js';
import { PLEX_TV_ROUTES, PMS_ROUTES } from './routes/index.js';
import { checkRules, PMS_1_43 } from './rules.js';
import { Sessions } from './sessions.js';
import type { PlexDemoOptions, PlexDemoServer, PlexWatchView } from './types.js';
import { WatchStore } from './watch-state.js';

/** The PMS version the demo presents (the rules follow PMS 1.43, PLEX.md §7.2). */
const VERSION = '1.43.0.10162-demo';

/** A PMS refusal: Plex's HTML page whatever the `Accept` header (PLEX.md §6). */
function pmsRefusal(error: HttpError | { status: number }): ReturnType<typeof htmlError> {
  return htmlError(error.status);
}

/** A plex.tv refusal: its JSON errors (PLEX.md §6). */
function plexTvRefusal(error: HttpError | { status: number }): ReturnType<typeof plexTvError> {
  if (error instanceof HttpError) return plexTvError(error.status, error.code ?? 0, error.message || 'Not found');
  return plexTvError(error.status, 0, error.status === 404 ? 'Not found' : 'Method not allowed');
}

/** Starts a Plex-compatible server (both halves) on loopback. */
export async function startPlexDemoServer(options: PlexDemoOptions = {}): Promise<PlexDemoServer> {
  const seed = options.seed ?? 20240601;
  const accounts = new PlexAccounts(options.accounts ?? [{ username: 'demo' }, { username: 'kid', managed: true }]);
  const journal = new PlexJournal(options.journalLimit);
  const rules = checkRules({ ...PMS_1_43, ...options.rules, ...(options.threshold === undefined ? {} : { threshold: options.threshold }) });
  // Filled in once the listeners exist; the handlers only run after that.
  let pms: DemoListener | undefined;
  let plexTv: DemoListener | undefined;
  let relayUrl = '';
  const unreachable = await deadPort();
  const pmsFaults: PlexFaults = new PlexFaults({ listen: () => pms!.listen(), stopListening: () => pms!.stopListening() }, accounts);
  const plexTvFaults: PlexFaults = new PlexFaults({ listen: () => plexTv!.listen(), stopListening: () => plexTv!.stopListening() }, accounts);
  const state: PlexDemoState = {
    machineIdentifier: createHash('sha1').update(`reelterm-plex-demo-${seed}`).digest('hex'),
    friendlyName: options.friendlyName ?? 'reelterm demo',
    version: VERSION,
    library: new PlexLibrary(options.library, seed),
    accounts,
    watch: new WatchStore(),
    sessions: new Sessions(),
    selections: new SelectionStore(),
    pins: new Pins(),
    clip: locateClip(),
    rules,
    now: () => pmsFaults.now(),
    plexTvNow: () => plexTvFaults.now(),
    pmsUrl: () => pms!.url,
    connectionUris: () => ({ local: pms!.url, remote: pms!.url, relay: relayUrl, deadPort: unreachable }),
    reachability: { local: false, remote: true, relay: true },
  };

  const pmsHandler = halfHandler(
    {
      half: 'pms',
      router: new Router(PMS_ROUTES),
      faults: pmsFaults,
      isProbe: (path) => path === '/identity',
      authenticate: (token) => accounts.byServerToken(token, state.rules.acceptAccountToken),
      refusal: pmsRefusal,
      statusFault: pmsStatusFault,
      malformed: malformedReply,
      ownHeaders: { 'x-plex-protocol': '1.0' },
    },
    state,
    journal,
    () => pmsFaults.now(),
  );
  const plexTvHandler = halfHandler(
    {
      half: 'plex.tv',
      router: new Router(PLEX_TV_ROUTES),
      faults: plexTvFaults,
      isProbe: () => false,
      // Every plex.tv route checks its own token, to answer plex.tv's JSON error codes.
      authenticate: () => undefined,
      refusal: plexTvRefusal,
      statusFault: plexTvStatusFault,
      malformed: malformedReply,
      // (plex.tv sends no X-Plex-Protocol)
      ownHeaders: {},
    },
    state,
    journal,
    () => plexTvFaults.now(),
  );
  const autoLink = options.autoLinkPins ?? false;
  pms = await startListener(pmsHandler, '127.0.0.1', options.port ?? 0);
  // Set once the handles exist; the switches only answer after that.
  let desk: AdminDesk | undefined;
  plexTv = await startListener((request, response) => {
    // Ahead of the journal and the faults: the switches must work while a fault is in force.
    if (desk && ADMIN_PATH.test(request.url ?? '')) return void handleAdmin(desk, request, response);
    plexTvHandler(request, response);
    // `--demo --plex`: nobody can visit plex.tv/link, so a new PIN is linked to the owner at once.
    if (autoLink) response.once('finish', () => state.pins.all().forEach((pin) => (pin.account ??= accounts.owner)));
  }, '127.0.0.1', options.plexTvPort ?? 0);
  const relay = await startRelay(() => pms!.port);
  relayUrl = relay.url;

  const account = (username?: string): PlexAccount => (username === undefined ? accounts.owner : accounts.named(username));
  const view: PlexWatchView = {
    watch: (ratingKey, username) => state.watch.get(account(username).id, ratingKey),
    set: (ratingKey, changes, username) => {
      const id = account(username).id;
      state.watch.put(id, ratingKey, { ...state.watch.get(id, ratingKey), ...changes });
    },
    sessions: () => state.sessions.list(),
    history: (username) => state.watch.history.filter((row) => username === undefined || row.accountId === account(username).id).map((row) => ({ ...row })),
    terminate: (termination = {}) => state.sessions.terminate(termination.code ?? 2006, termination.text ?? 'Admin terminated playback with reason: demo', termination),
    selection: (partId, username) => state.selections.get(account(username).id, partId),
  };

  const server: PlexDemoServer = {
    get url() {
      return pms!.url;
    },
    get port() {
      return pms!.port;
    },
    get plexTvUrl() {
      return plexTv!.url;
    },
    relayUrl,
    machineIdentifier: state.machineIdentifier,
    version: VERSION,
    library: state.library,
    users: accounts.accounts,
    owner: accounts.owner,
    faults: pmsFaults,
    plexTvFaults,
    journal: journal.entries,
    clearJournal: () => journal.clear(),
    state: view,
    get rules() {
      return { ...state.rules };
    },
    configureRules: (changes) => {
      state.rules = checkRules({ ...state.rules, ...changes });
      return { ...state.rules };
    },
    linkPin: (code, username) => state.pins.link(code, account(username), state.plexTvNow().getTime()),
    setReachability: (changes) => Object.assign(state.reachability, changes),
    close: async () => {
      pmsFaults.dispose();
      plexTvFaults.dispose();
      await relay.close();
      if (pms!.listening) await pms!.stopListening();
      if (plexTv!.listening) await plexTv!.stopListening();
    },
  };
  desk = server;
  return server;
}
