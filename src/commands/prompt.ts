import { createInterface } from 'node:readline/promises';

/** Asks the user questions on the terminal. */
export interface Prompter {
  ask(question: string, defaultValue?: string): Promise<string>;
  /** Asks without echoing what is typed (passwords). */
  askSecret(question: string): Promise<string>;
}

/** A prompter on the process's terminal; refuses when stdin is not a TTY. */
export function terminalPrompter(stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Prompter {
  const requireTty = () => {
    if (!stdin.isTTY) throw new Error('No terminal to ask on: pass --server and --user, and set REELTERM_PASSWORD.');
  };
  return {
    async ask(question, defaultValue) {
      requireTty();
      const rl = createInterface({ input: stdin, output: stderr });
      try {
        const answer = (await rl.question(defaultValue ? `${question} [${defaultValue}]: ` : `${question}: `)).trim();
        return answer === '' ? (defaultValue ?? '') : answer;
      } finally {
        rl.close();
      }
    },
    askSecret(question) {
      requireTty();
      stderr.write(`${question}: `);
      return new Promise((resolve, reject) => {
        let value = '';
        stdin.setRawMode(true);
        stdin.resume();
        const done = (error?: Error) => {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          stderr.write('\n');
          if (error) reject(error);
          else resolve(value);
        };
        const onData = (chunk: Buffer) => {
          for (const char of chunk.toString('utf8')) {
            if (char === '\r' || char === '\n') return done();
            if (char === '\x03') return done(new Error('Cancelled.'));
            if (char === '\x7f' || char === '\b') value = value.slice(0, -1);
            else if (char >= ' ') value += char;
          }
        };
        stdin.on('data', onData);
      });
    },
  };
}

/** Turns what a user types as a server address into a base URL: `jf.local:8096` → `http://jf.local:8096`. */
export function normaliseServerUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`"${input}" is not a server address (try http://host:8096).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${input}" is not an http or https address.`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
