import { createServices, type LaunchEntry, type LaunchPlayer, type PlaybackSettings } from '../../src/commands/services.js';
import type { DemoServer } from '../../src/servers/jellyfin/demo/index.js';
import type { RunPlayer } from '../../src/session/playback-run.js';
import type { PlayerEvent, TrackRef } from '../../src/session/playback-session.js';
import { demoOutbox, signedInClient } from './demo-server.js';
import { jellyfinServer } from '../../src/servers/jellyfin/index.js';

/**
 * Stands in for mpv in screen tests, which are about what the TUI draws and sends; real mpv
 * plays in test/player and in the end-to-end test. The test drives it with `emit()`.
 */
export class FakePlayer implements RunPlayer {
  readonly controls: string[] = [];
  /** What each entry was configured with (subtitle files, track choice). */
  readonly configured = new Map<number, unknown>();
  private readonly listeners = new Set<(event: PlayerEvent) => void>();
  position = 0;
  index = 0;

  constructor(readonly launched: { entries: LaunchEntry[]; httpHeaders: string[] }) {
    this.position = launched.entries[0]?.startSeconds ?? 0;
  }

  subscribe(listener: (event: PlayerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: PlayerEvent): void {
    if ('positionSeconds' in event) this.position = event.positionSeconds;
    for (const listener of this.listeners) listener(event);
  }

  async togglePause(): Promise<void> {
    this.controls.push('pause');
  }

  async seek(seconds: number, mode: 'relative' | 'absolute'): Promise<void> {
    this.controls.push(`seek ${mode} ${seconds}`);
  }

  async stop(): Promise<void> {
    this.controls.push('stop');
    this.emit({ type: 'end', reason: 'stop', positionSeconds: this.position });
  }

  async next(): Promise<boolean> {
    return this.move(this.index + 1);
  }

  async previous(): Promise<boolean> {
    return this.move(this.index - 1);
  }

  async selectTrack(kind: 'audio' | 'subtitle', ref: TrackRef | null): Promise<boolean> {
    this.controls.push(`${kind} ${JSON.stringify(ref)}`);
    return true;
  }

  configureEntry(index: number, tracks: unknown): void {
    this.configured.set(index, tracks);
  }

  private move(to: number): boolean {
    if (to < 0 || to >= this.launched.entries.length) return false;
    this.controls.push(`skip to ${to}`);
    const left = this.position;
    this.index = to;
    this.emit({ type: 'next', index: to, reason: 'skip', positionSeconds: left });
    this.position = 0;
    return true;
  }
}

/** The app's real services (client, outbox on a temp queue file) on a demo server, with fake players. */
export async function demoServices(demo: DemoServer, options: { syncWaitMs?: number; playback?: PlaybackSettings; notices?: string[]; timeoutMs?: number } = {}) {
  const client = await signedInClient(demo, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
  const outbox = await demoOutbox(client, { backoff: { baseMs: 50, capMs: 200 } });
  const players: FakePlayer[] = [];
  const launch: LaunchPlayer = async (launched) => {
    const player = new FakePlayer(launched);
    players.push(player);
    return player;
  };
  const services = createServices({
    server: jellyfinServer(client),
    outbox,
    launch,
    syncWaitMs: options.syncWaitMs ?? 1000,
    ...(options.playback ? { playback: options.playback } : {}),
    ...(options.notices ? { notices: options.notices } : {}),
    who: 'demo on the test server',
    account: { server: client.serverUrl, userName: 'demo' },
  });
  return { services, outbox, client, players };
}
