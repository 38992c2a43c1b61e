import { createInterface } from 'node:readline/promises';

/** Asks the user questions on the terminal. */
export interface Prompter {
  ask(question: string, defaultValue?: string): Promise<string>;
  /** Asks without echoing what is typed (passwords). */
  askSecret(question: string): Promise<string>;
  /** Tells the user something between questions (why an answer was refused). */
  tell(line: string): void;
}

/** A prompter on the process's terminal; refuses when stdin is not a TTY. */
export function terminalPrompter(stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Prompter {
  const requireTty = () => {
    if (!stdin.isTTY) throw new Error('No terminal to ask on: pass --server and --user, and set REELTERM_PASSWORD.');
  };
  return {
    tell(line) {
      stderr.write(`${line}\n`);
    },
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
