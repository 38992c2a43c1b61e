/**
 * reelterm as the soak runs it: a Plex MediaServer (`openPlex`) and the real outbox on a queue
 * file, started, signed in again, and killed. A kill is what `kill -9` leaves: the queue file as
 * it was on disk at that instant (batched progress not yet written is lost), every request in
 * flight cut off (the server may have acted on it), the playback abandoned without a stop; then
 * a new process opens the same queue file with a new client and deliverer.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlexDemoServer } from '../../src/servers/plex/demo/index.js';
import { openPlex, type PlexClient } from '../../src/servers/plex/index.js';
import type { MediaServer } from '../../src/servers/types.js';
import { openOutbox, type Outbox } from '../../src/sync/index.js';
import type { MovableClock } from '../helpers/movable-clock.js';

/** This installation, as the server knows it (`X-Plex-Client-Identifier`). */
export const IDENTITY = { clientIdentifier: 'plex-soak-install', version: '0.1.0', deviceName: 'plex-soak' };

/** One run of reelterm, from its start to its kill (or the end of the soak). */
export interface Run {
  /** 1 for the first start, 2 after the first kill… */
  n: number;
  client: PlexClient;
  server: MediaServer;
  outbox: Outbox;
}

export class Reelterm {
  run!: Run;
  /** The token reelterm keeps between runs (the one of its last sign-in). */
  private token: string;
  private runs = 0;
  /** Every sync state any run's footer showed. */
  readonly states = new Set<string>();
  readonly queueFile: string;
  private readonly lockFile: string;

  constructor(
    private readonly demo: PlexDemoServer,
    private readonly url: string,
    dir: string,
    private readonly clock: MovableClock,
    private readonly timeoutMs: number,
  ) {
    this.token = demo.owner.serverToken;
    this.queueFile = join(dir, 'queue.json');
    this.lockFile = join(dir, 'queue.lock');
  }

  /** Starts reelterm with the token it kept: it drains whatever the queue file holds. */
  async start(): Promise<Run> {
    const { server, client } = openPlex({ baseUrl: this.url, identity: IDENTITY, token: this.token, timeoutMs: this.timeoutMs, now: this.clock.now });
    const { outbox } = await openOutbox({
      queueFile: this.queueFile,
      lockFile: this.lockFile,
      deliver: server.deliver,
      clock: this.clock,
      account: { kind: server.kind, server: server.url, userId: String(this.demo.owner.id), userName: this.demo.owner.username },
      backoff: { baseMs: 20, capMs: 300 },
      progressIntervalMs: 200,
    });
    outbox.subscribe(() => this.states.add(outbox.status().state));
    // (the app reads the played threshold at its first browse)
    server.warmUp?.();
    this.runs += 1;
    this.run = { n: this.runs, client, server, outbox };
    return this.run;
  }

  /** The user signs in again (the footer said "Signed out"): the new token, then the queue resumes. */
  signIn(): void {
    this.token = this.demo.owner.serverToken;
    this.run.client.setToken(this.token);
    this.run.server.forget();
    this.run.outbox.resumeAfterSignIn();
  }

  /**
   * `kill -9` now, then a start. Returns the queue file's ops at the kill (for the story).
   */
  async kill(): Promise<{ left: number }> {
    const dying = this.run;
    // The instant of the kill: what the disk holds now is all the next start will find.
    const onDisk = existsSync(this.queueFile) ? readFileSync(this.queueFile) : undefined;
    // (closing aborts every request in flight at once: the server may have acted on them, the answers are lost)
    const closed = dying.outbox.close();
    await closed.catch(() => undefined);
    // The dead process wrote nothing after the instant above.
    if (onDisk === undefined) rmSync(this.queueFile, { force: true });
    else writeFileSync(this.queueFile, onDisk);
    let left = 0;
    try {
      left = onDisk === undefined ? 0 : (JSON.parse(onDisk.toString('utf8')) as { ops: unknown[] }).ops.length;
    } catch {
      left = -1;
    }
    await this.start();
    return { left };
  }

  async close(): Promise<void> {
    await this.run.outbox.close();
  }
}
