// A program in a pseudo-terminal (util-linux `script`), as a person runs it: keys go in, frames
// come out, each timed when it arrives. Ink 6 wraps every frame in the synchronized-output
// marks (`ESC[?2026h` … `ESC[?2026l`), so a frame is known complete when its closing mark
// arrives; a program that does not use them has each chunk of output taken as a frame.
import { spawn, type ChildProcess } from 'node:child_process';

const BEGIN = '\x1b[?2026h';
const END = '\x1b[?2026l';

/** Text of a terminal write without its escape sequences. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b[\]P^_][^\x07\x1b]*(\x07|\x1b\\)/g, '').replace(/\x1b[()][0-9A-Za-z]/g, '').replace(/\x1b[=>78]/g, '');
}

export interface Frame {
  /** performance.now() when its last byte arrived. */
  at: number;
  /** Its text, without escape sequences. */
  text: string;
}

/** Options for `Pty.start`. */
export interface PtyOptions {
  env?: NodeJS.ProcessEnv;
  rows?: number;
  columns?: number;
}

export class Pty {
  readonly startedAt: number;
  readonly exited: Promise<number>;
  readonly frames: Frame[] = [];
  /** Every byte written so far (raw). */
  output = '';
  private pending = '';
  private usesMarks = false;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly child: ChildProcess) {
    this.startedAt = performance.now();
    this.exited = new Promise((resolve) => child.once('exit', () => resolve(performance.now())));
    child.stdout!.on('data', (chunk: Buffer) => this.take(chunk.toString('utf8'), performance.now()));
  }

  /** Runs `argv` (shell-quoted here) in a pseudo-terminal of `rows` × `columns`. */
  static start(argv: readonly string[], options: PtyOptions = {}): Pty {
    const quoted = argv.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
    const command = `stty rows ${options.rows ?? 30} cols ${options.columns ?? 100}; exec ${quoted}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...(options.env ?? process.env), TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    return new Pty(child);
  }

  private take(text: string, at: number): void {
    this.output += text;
    if (this.output.length > 4_000_000) this.output = this.output.slice(-1_000_000);
    if (!this.usesMarks && text.includes(BEGIN)) this.usesMarks = true;
    if (!this.usesMarks) {
      this.frames.push({ at, text: plain(text) });
    } else {
      this.pending += text;
      let end = this.pending.indexOf(END);
      while (end >= 0) {
        const frame = this.pending.slice(0, end);
        const begin = frame.lastIndexOf(BEGIN);
        this.frames.push({ at, text: plain(begin >= 0 ? frame.slice(begin + BEGIN.length) : frame) });
        this.pending = this.pending.slice(end + END.length);
        end = this.pending.indexOf(END);
      }
    }
    if (this.frames.length > 5000) this.frames.splice(0, this.frames.length - 1000);
    for (const listener of this.listeners) listener();
  }

  /** The latest frame's text. */
  get screen(): string {
    return this.frames.at(-1)?.text ?? '';
  }

  /**
   * The first frame that arrives after `since` (performance.now()) and satisfies `test`;
   * rejects after `timeoutMs`, quoting the screen.
   */
  waitFrame(test: (text: string) => boolean, since: number, timeoutMs = 15_000, what = 'the expected screen'): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = this.frames.length - 1; i >= 0; i--) {
          const frame = this.frames[i]!;
          if (frame.at < since) break;
          if (test(frame.text)) {
            // the earliest such frame after `since`
            let first = frame;
            for (let j = i - 1; j >= 0 && this.frames[j]!.at >= since; j--) if (test(this.frames[j]!.text)) first = this.frames[j]!;
            done();
            resolve(first);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} after ${timeoutMs} ms; the screen:\n${this.screen}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Types `keys`; resolves with performance.now() just before the write. */
  press(keys: string): number {
    const at = performance.now();
    this.child.stdin!.write(keys);
    return at;
  }

  /** The program inside `script` (its only child), once it has started. */
  async programPid(timeoutMs = 10_000): Promise<number> {
    const { readFile } = await import('node:fs/promises');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const children = await readFile(`/proc/${this.child.pid}/task/${this.child.pid}/children`, 'utf8').catch(() => '');
      const pid = Number(children.trim().split(/\s+/)[0]);
      if (pid > 0) return pid;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the program in the pseudo-terminal did not start');
  }

  /** Ends it (SIGTERM to `script`, which passes the hang-up on) and waits for the exit. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 5000))]);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
