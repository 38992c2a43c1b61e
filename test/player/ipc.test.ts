import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MpvCommandError, MpvIpc, MpvIpcClosedError, MpvIpcTimeoutError, type MpvEvent, type PropertyChange } from '../../src/player/ipc.js';
import { tempDir } from '../helpers/temp-home.js';

/** The far end of the IPC, as mpv would be: sees each request line, sends bytes in exactly the chunks the test gives. */
class FakeMpv extends Duplex {
  readonly requests: Array<{ command: unknown[]; request_id: number }> = [];
  private partial = '';

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.partial += chunk.toString('utf8');
    let newline: number;
    while ((newline = this.partial.indexOf('\n')) !== -1) {
      this.requests.push(JSON.parse(this.partial.slice(0, newline)));
      this.partial = this.partial.slice(newline + 1);
    }
    callback();
  }

  /** Sends raw bytes as one chunk. */
  send(bytes: Buffer | string): void {
    this.push(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mpv IPC framing', () => {
  it('assembles a reply larger than 64 KiB that arrives in many small chunks', async () => {
    // Given a client and a reply of ~200 KiB (a long playlist), with multi-byte characters
    const mpv = new FakeMpv();
    const ipc = new MpvIpc(mpv);
    const playlist = Array.from({ length: 2000 }, (_, i) => ({ filename: `http://server/Videos/${i}/stream`, title: `Épisode ${i} — «naïve» 🎬` }));
    const reply = Buffer.from(`${JSON.stringify({ data: playlist, request_id: 1, error: 'success' })}\n`, 'utf8');
    expect(reply.length).toBeGreaterThan(64 * 1024);

    // When the client asks and the reply comes back in 1000-byte pieces (splitting characters apart)
    const answer = ipc.command(['get_property', 'playlist']);
    for (let offset = 0; offset < reply.length; offset += 1000) {
      mpv.send(reply.subarray(offset, offset + 1000));
      await tick();
    }

    // Then the whole value arrives intact
    await expect(answer).resolves.toEqual(playlist);
  });

  it('delivers a burst of 1,000 events sent in one chunk, in order, with a reply in the middle', async () => {
    const mpv = new FakeMpv();
    const ipc = new MpvIpc(mpv);
    const events: MpvEvent[] = [];
    const changes: PropertyChange[] = [];
    ipc.on('event', (event) => events.push(event));
    ipc.on('property-change', (change) => changes.push(change));
    const answer = ipc.command(['get_property', 'pause']);

    // Given 1,000 time-pos changes with a reply and an end-file among them, all in one write
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) {
      lines.push(JSON.stringify({ event: 'property-change', id: 1, name: 'time-pos', data: i / 10 }));
      if (i === 500) lines.push(JSON.stringify({ request_id: 1, error: 'success', data: false }));
    }
    lines.push(JSON.stringify({ event: 'end-file', reason: 'eof', playlist_entry_id: 1 }));
    mpv.send(`${lines.join('\n')}\n`);
    await tick();

    // Then every event arrives once, in order, and the reply reaches its caller
    await expect(answer).resolves.toBe(false);
    expect(changes).toHaveLength(1000);
    expect(changes.map((change) => change.data)).toEqual(Array.from({ length: 1000 }, (_, i) => i / 10));
    expect(events.at(-1)).toEqual({ event: 'end-file', reason: 'eof', playlist_entry_id: 1 });
    expect(events).toHaveLength(1001);
  });

  it('keeps a line split right before its newline, and skips garbage without losing the next line', async () => {
    const mpv = new FakeMpv();
    const ipc = new MpvIpc(mpv);
    const events: MpvEvent[] = [];
    const garbage: string[] = [];
    ipc.on('event', (event) => events.push(event));
    ipc.on('protocol-error', (line) => garbage.push(line));
    mpv.send('{"event":"seek"}');
    await tick();
    mpv.send('\nnot json\n{"event":"playback-restart"}\n');
    await tick();
    expect(events.map((event) => event.event)).toEqual(['seek', 'playback-restart']);
    expect(garbage).toEqual(['not json']);
  });
});

describe('mpv IPC requests', () => {
  it('numbers requests from 1 and sends one line each, even with newlines in a value', async () => {
    const mpv = new FakeMpv();
    const ipc = new MpvIpc(mpv);
    const first = ipc.command(['set_property', 'force-media-title', 'two\nlines "quoted"']);
    const second = ipc.command(['get_property', 'mpv-version']);
    await tick();
    expect(mpv.requests).toEqual([
      { command: ['set_property', 'force-media-title', 'two\nlines "quoted"'], request_id: 1 },
      { command: ['get_property', 'mpv-version'], request_id: 2 },
    ]);
    // Replies may come in any order
    mpv.send('{"request_id":2,"error":"success","data":"mpv 0.35.1"}\n{"request_id":1,"error":"success"}\n');
    await expect(second).resolves.toBe('mpv 0.35.1');
    await expect(first).resolves.toBeUndefined();
  });

  it("rejects with mpv's own error string", async () => {
    const mpv = new FakeMpv();
    const ipc = new MpvIpc(mpv);
    const answer = ipc.command(['set_property', 'start', 540]);
    mpv.send('{"request_id":1,"error":"error accessing property"}\n');
    const error = await answer.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MpvCommandError);
    expect((error as MpvCommandError).mpvError).toBe('error accessing property');
    expect((error as Error).message).toContain('set_property start');
  });

  it('times out a request mpv never answers, and ignores the late reply', async () => {
    const mpv = new FakeMpv();
    const ipc = new MpvIpc(mpv);
    await expect(ipc.command(['get_property', 'duration'], { timeoutMs: 30 })).rejects.toBeInstanceOf(MpvIpcTimeoutError);
    mpv.send('{"request_id":1,"error":"success","data":600}\n');
    await tick();
    // The next request still works
    const next = ipc.command(['get_property', 'duration']);
    mpv.send('{"request_id":2,"error":"success","data":600}\n');
    await expect(next).resolves.toBe(600);
  });

  it('observes a property with its own id and reports its changes', async () => {
    const mpv = new FakeMpv();
    const ipc = new MpvIpc(mpv);
    const changes: PropertyChange[] = [];
    ipc.on('property-change', (change) => changes.push(change));
    const observed = ipc.observe('time-pos');
    await tick();
    expect(mpv.requests[0]).toEqual({ command: ['observe_property', 1, 'time-pos'], request_id: 1 });
    mpv.send('{"request_id":1,"error":"success"}\n{"event":"property-change","id":1,"name":"time-pos"}\n{"event":"property-change","id":1,"name":"time-pos","data":12.5}\n');
    await expect(observed).resolves.toBe(1);
    expect(changes).toEqual([
      { id: 1, name: 'time-pos' },
      { id: 1, name: 'time-pos', data: 12.5 },
    ]);
  });
});

describe('mpv IPC over a real socket', () => {
  it('rejects every pending request when the connection closes, and later ones at once', async () => {
    // Given a client connected over a unix socket in a private directory
    const dir = await tempDir();
    const path = join(dir, 'mpv.sock');
    const server = createServer();
    server.listen(path);
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const socket = connect(path);
    await once(socket, 'connect');
    const [far] = await accepted;
    const ipc = new MpvIpc(socket);
    let closed = 0;
    ipc.on('close', () => closed++);
    try {
      // When two requests are in flight and mpv goes away
      const pending = [ipc.command(['get_property', 'playlist']), ipc.command(['get_property', 'track-list'])];
      await once(far, 'data');
      far.destroy();

      // Then both are rejected, the client says it is closed, and new requests fail at once
      for (const request of pending) await expect(request).rejects.toBeInstanceOf(MpvIpcClosedError);
      expect(ipc.closed).toBe(true);
      expect(closed).toBe(1);
      await expect(ipc.command(['get_property', 'pause'])).rejects.toBeInstanceOf(MpvIpcClosedError);
    } finally {
      socket.destroy();
      server.close();
    }
  });

  it('passes a large reply written by the far end in one go', async () => {
    const dir = await tempDir();
    const path = join(dir, 'mpv.sock');
    const server = createServer((far) => {
      far.once('data', () => {
        const data = 'x'.repeat(300 * 1024);
        far.write(`{"event":"idle"}\n${JSON.stringify({ request_id: 1, error: 'success', data })}\n{"event":"idle"}\n`);
      });
    });
    server.listen(path);
    await once(server, 'listening');
    const socket = connect(path);
    await once(socket, 'connect');
    const ipc = new MpvIpc(socket);
    const events: MpvEvent[] = [];
    ipc.on('event', (event) => events.push(event));
    try {
      const value = await ipc.command(['get_property', 'metadata']);
      expect(value).toHaveLength(300 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events.map((event) => event.event)).toEqual(['idle', 'idle']);
    } finally {
      ipc.close();
      server.close();
    }
  });
});
