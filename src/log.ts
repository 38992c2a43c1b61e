import { closeSync, constants, createWriteStream, fstatSync, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

/** Log levels, quietest last. `--debug` turns on `debug`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/(Token=")[^"]*(")/gi, '$1[redacted]$2'],
  [/([?&](?:api_?key|ApiKey)=)[^&\s"]*/gi, '$1[redacted]'],
  [/("(?:AccessToken|Pw|Password|Token)"\s*:\s*")[^"]*(")/gi, '$1[redacted]$2'],
  [/((?:X-Emby-Token|X-MediaBrowser-Token)\s*[:=]\s*)\S+/gi, '$1[redacted]'],
];

/** Removes access tokens and passwords from a log line, whatever shape they arrive in. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

let stream: WriteStream | undefined;
let threshold = ORDER.info;
const knownSecrets = new Set<string>();

/**
 * Sends log lines to `file` (created 0600) at `level` and above. Until configured,
 * logging is a no-op: the TUI owns the terminal, so nothing is ever printed.
 */
export function configureLog(options: { file: string; level: LogLevel }): void {
  void closeLog();
  threshold = ORDER[options.level];
  const fd = openLogFile(options.file);
  if (fd === undefined) return;
  stream = createWriteStream(options.file, { fd });
  stream.on('error', () => {
    stream = undefined;
  });
}

/**
 * The log file opened to append (created 0600), or undefined when there is no regular file to
 * log to: the lines are dropped then, as for a log that cannot be written. Opened without
 * waiting: a named pipe put there would hold an open until something read from it, and every
 * command's exit waits for the log to be written out.
 */
function openLogFile(file: string): number | undefined {
  let fd: number;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NONBLOCK ?? 0), 0o600);
  } catch {
    return undefined;
  }
  if (fstatSync(fd).isFile()) return fd;
  closeSync(fd);
  return undefined;
}

/** Registers a secret (a token) so that it is masked in every later line, whatever the context. */
export function registerSecret(secret: string | undefined): void {
  if (secret !== undefined && secret.length >= 8) knownSecrets.add(secret);
}

/** Closes the log file (resolves once it is written out); later lines are dropped until `configureLog` runs again. */
export function closeLog(): Promise<void> {
  const closing = stream;
  stream = undefined;
  if (closing === undefined) return Promise.resolve();
  return new Promise((resolve) => closing.end(resolve));
}

function write(level: LogLevel, message: string, data?: Record<string, unknown>): void {
  if (stream === undefined || ORDER[level] < threshold) return;
  let line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}`;
  if (data !== undefined) line += ` ${JSON.stringify(data, errorReplacer)}`;
  line = redactSecrets(line);
  for (const secret of knownSecrets) line = line.split(secret).join('[redacted]');
  stream.write(`${line}\n`);
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

/** The app's logger: one file, secrets redacted, never the terminal. */
export const log = {
  debug: (message: string, data?: Record<string, unknown>) => write('debug', message, data),
  info: (message: string, data?: Record<string, unknown>) => write('info', message, data),
  warn: (message: string, data?: Record<string, unknown>) => write('warn', message, data),
  error: (message: string, data?: Record<string, unknown>) => write('error', message, data),
};
