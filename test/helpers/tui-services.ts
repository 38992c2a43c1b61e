import { createServices, type LaunchPlayer, type PlayerHandle } from '../../src/commands/services.js';
import type { DemoServer } from '../../src/demo/index.js';
import type { PlayerEvent } from '../../src/session/playback-session.js';
import { demoOutbox, signedInClient } from './demo-server.js';

/**
 * Stands in for mpv in screen tests, which are about what the TUI draws and sends; real mpv
 * plays in test/player and in the end-to-end test. The test drives it with `emit()`.
 */
export class FakePlayer implements PlayerHandle {
  readonly controls: string[] = [];
  private readonly listeners = new Set<(event: PlayerEvent) => void>();
  position = 0;

  constructor(readonly launched: { url: string; title: string; startSeconds: number; httpHeaders: string[] }) {
    this.position = launched.startSeconds;
  }

  subscribe(listener: (event: PlayerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: PlayerEvent): void {
    if ('positionSeconds' in event) this.position = event.positionSeconds;
    for (const listener of this.listeners) listener(event);
  }

  togglePause(): void {
    this.controls.push('pause');
  }

  seek(seconds: number, mode: 'relative' | 'absolute'): void {
    this.controls.push(`seek ${mode} ${seconds}`);
  }

  stop(): void {
    this.controls.push('stop');
    this.emit({ type: 'end', reason: 'stop', positionSeconds: this.position });
  }
}

/** The app's real services (client, outbox on a temp queue file) on a demo server, with fake players. */
export async function demoServices(demo: DemoServer, options: { syncWaitMs?: number } = {}) {
  const client = await signedInClient(demo);
  const outbox = await demoOutbox(client, { backoff: { baseMs: 50, capMs: 200 } });
  const players: FakePlayer[] = [];
  const launch: LaunchPlayer = async (launched) => {
    const player = new FakePlayer(launched);
    players.push(player);
    return player;
  };
  const services = createServices({
    client,
    outbox,
    launch,
    syncWaitMs: options.syncWaitMs ?? 1000,
    who: 'demo on the test server',
    account: { server: client.serverUrl, userName: 'demo' },
  });
  return { services, outbox, client, players };
}
