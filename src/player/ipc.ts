import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

/** One message mpv sends without being asked (`{"event": "..."}`), as parsed from the wire. */
export interface MpvEvent {
  event: string;
  [field: string]: unknown;
}

/** A change of a property observed with {@link MpvIpc.observe}; `data` is absent while unavailable. */
export interface PropertyChange {
  id: number;
  name: string;
  data?: unknown;
}

/** What {@link MpvIpc} emits. */
export interface MpvIpcEvents {
  /** Every event mpv sends, property changes included, in wire order. */
  event: [MpvEvent];
  /** Only the `property-change` events, unpacked. */
  'property-change': [PropertyChange];
  /** A line that was not JSON or not an object (it is dropped). */
  'protocol-error': [line: string];
  /** The connection is gone; every pending request has been rejected. */
  close: [];
}

/** Options for one request. */
export interface CommandOptions {
  /** Rejects with {@link MpvIpcTimeoutError} when mpv has not answered by then. */
  timeoutMs?: number;
}

/** mpv answered a request with an error (`error` is mpv's own string, e.g. "property unavailable"). */
export class MpvCommandError extends Error {
  override readonly name = 'MpvCommandError';
  constructor(
    readonly command: MpvCommand,
    readonly mpvError: string,
  ) {
    super(`mpv refused ${describeCommand(command)}: ${mpvError}`);
  }
}

/** mpv did not answer in time. */
export class MpvIpcTimeoutError extends Error {
  override readonly name = 'MpvIpcTimeoutError';
  constructor(
    readonly command: MpvCommand,
    readonly timeoutMs: number,
  ) {
    super(`mpv did not answer ${describeCommand(command)} within ${timeoutMs} ms`);
  }
}

/** The connection to mpv closed before an answer came (or before the request was sent). */
export class MpvIpcClosedError extends Error {
  override readonly name = 'MpvIpcClosedError';
  constructor(readonly command: MpvCommand) {
    super(`the connection to mpv closed before it answered ${describeCommand(command)}`);
  }
}

/**
 * A command: positional (`["seek", 10, "relative"]`) or with named arguments
 * (`{ name: "loadfile", url, flags: "append", options: { start: "12" } }`), which keeps option
 * values whole (no `key=value,…` parsing of titles or URLs) across mpv versions.
 */
export type MpvCommand = readonly unknown[] | { readonly name: string; readonly [argument: string]: unknown };

/** Names the command and, for properties, the property; never the values (they may hold a token). */
function describeCommand(command: MpvCommand): string {
  if (!Array.isArray(command)) return `"${(command as { name: string }).name}"`;
  const [name, first] = command as readonly unknown[];
  const property = typeof name === 'string' && /_property$/.test(name) && typeof first === 'string' ? ` ${first}` : '';
  return `"${String(name)}${property}"`;
}

interface Pending {
  command: MpvCommand;
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

const NEWLINE = 0x0a;

/**
 * A typed client for mpv's JSON IPC over any duplex byte stream (the socketpair of
 * `--input-ipc-client=fd://3`, a unix socket, a test double). Messages are newline-framed:
 * partial lines carry over between chunks, so replies of any size and bursts of events arrive
 * whole. Request ids start at 1 (mpv uses 0 for "no id"). When the stream closes, every
 * pending request is rejected and later ones fail at once.
 */
export class MpvIpc extends EventEmitter<MpvIpcEvents> {
  private readonly stream: Duplex;
  private readonly defaultTimeoutMs: number;
  private readonly pending = new Map<number, Pending>();
  private carry: Buffer[] = [];
  private nextRequestId = 1;
  private nextObserveId = 1;
  private closedFlag = false;

  constructor(stream: Duplex, options: { defaultTimeoutMs?: number } = {}) {
    super();
    this.stream = stream;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 5000;
    stream.on('data', (chunk: Buffer | string) => this.receive(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
    // ECONNRESET when mpv is killed: the close that follows does the work.
    stream.on('error', () => undefined);
    stream.on('close', () => this.handleClose());
    stream.on('end', () => this.handleClose());
  }

  /** True once the connection is gone. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Sends `{"command": args}` and resolves with the reply's `data` (undefined when there is none).
   * Rejects with {@link MpvCommandError} carrying mpv's `error` string, {@link MpvIpcTimeoutError},
   * or {@link MpvIpcClosedError}.
   */
  command(args: MpvCommand, options: CommandOptions = {}): Promise<unknown> {
    if (this.closedFlag) return Promise.reject(new MpvIpcClosedError(args));
    const requestId = this.nextRequestId++;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<unknown>((resolve, reject) => {
      const entry: Pending = { command: args, resolve, reject, timer: undefined };
      if (Number.isFinite(timeoutMs)) {
        entry.timer = setTimeout(() => {
          this.pending.delete(requestId);
          reject(new MpvIpcTimeoutError(args, timeoutMs));
        }, timeoutMs);
        entry.timer.unref();
      }
      this.pending.set(requestId, entry);
      // JSON.stringify escapes newlines inside strings, so one request is always one line.
      this.stream.write(`${JSON.stringify({ command: args, request_id: requestId })}\n`);
    });
  }

  /** Reads a property (`get_property`). */
  getProperty(name: string, options?: CommandOptions): Promise<unknown> {
    return this.command(['get_property', name], options);
  }

  /** Writes a property (`set_property`), the value sent as JSON (strings are never re-parsed by mpv). */
  async setProperty(name: string, value: unknown, options?: CommandOptions): Promise<void> {
    await this.command(['set_property', name, value], options);
  }

  /**
   * Starts `observe_property` on `name`; mpv sends the current value at once, then every change,
   * as `property-change` events carrying the returned id.
   */
  async observe(name: string, options?: CommandOptions): Promise<number> {
    const id = this.nextObserveId++;
    await this.command(['observe_property', id, name], options);
    return id;
  }

  /** Stops an observation started with {@link observe}. */
  async unobserve(id: number, options?: CommandOptions): Promise<void> {
    await this.command(['unobserve_property', id], options);
  }

  /** Closes the connection; pending requests are rejected. */
  close(): void {
    this.stream.destroy();
    this.handleClose();
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE, start);
    while (newline !== -1) {
      const piece = chunk.subarray(start, newline);
      const line = this.carry.length > 0 ? Buffer.concat([...this.carry, piece]) : piece;
      this.carry = [];
      this.handleLine(line.toString('utf8'));
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.carry.push(chunk.subarray(start));
  }

  private handleLine(line: string): void {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.emit('protocol-error', line);
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.emit('protocol-error', line);
      return;
    }
    const fields = message as Record<string, unknown>;
    if (typeof fields.event === 'string') {
      const event = fields as MpvEvent;
      this.emit('event', event);
      if (event.event === 'property-change' && typeof event.id === 'number' && typeof event.name === 'string') {
        this.emit('property-change', { id: event.id, name: event.name, ...('data' in event ? { data: event.data } : {}) });
      }
      return;
    }
    const requestId = fields.request_id;
    if (typeof requestId !== 'number') return;
    const entry = this.pending.get(requestId);
    if (entry === undefined) return; // timed out already
    this.pending.delete(requestId);
    clearTimeout(entry.timer);
    if (fields.error === 'success') entry.resolve(fields.data);
    else entry.reject(new MpvCommandError(entry.command, typeof fields.error === 'string' ? fields.error : 'unknown error'));
  }

  private handleClose(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.carry = [];
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const entry of pending) {
      clearTimeout(entry.timer);
      entry.reject(new MpvIpcClosedError(entry.command));
    }
    this.emit('close');
  }
}
