import { randomBytes } from 'node:crypto';
import { chmod, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { readFileBytes } from '../files.js';
import { join } from 'node:path';
import { JsonFileStore } from './store.js';

/** Who reelterm is signed in as. Stored in `credentials.json`, mode 0600. */
export interface Credentials {
  /** The kind of server, by the name `src/servers` gives it; absent in sign-ins saved before kinds were recorded (Jellyfin's). */
  kind?: string;
  server: string;
  /** The server's own id (Jellyfin's `ServerId`); absent in sign-ins saved before it was kept. */
  serverId?: string;
  userId: string;
  userName: string;
  token: string;
}

/** The credentials file: read, save, forget. The token never leaves this file except in request headers. */
export class CredentialsStore {
  private constructor(private readonly file: JsonFileStore) {}

  /**
   * Opens (or creates) the store in `configDir`; a corrupt file is moved aside and reported in `notices`.
   * A file that other users can read or write (0644 after a backup restore) is made 0600 first, and said so.
   */
  static async open(configDir: string, notices: string[]): Promise<CredentialsStore> {
    await makePrivate(join(configDir, 'credentials.json'), notices);
    return new CredentialsStore(JsonFileStore.open(configDir, 'credentials', notices));
  }

  /** The saved sign-in, or undefined when signed out or incomplete. */
  get(): Credentials | undefined {
    const { kind, server, serverId, userId, userName, token } = this.file.read();
    if (typeof server !== 'string' || typeof userId !== 'string' || typeof token !== 'string') return undefined;
    return {
      ...(typeof kind === 'string' && kind !== '' ? { kind } : {}),
      server,
      ...(typeof serverId === 'string' && serverId !== '' ? { serverId } : {}),
      userId,
      userName: typeof userName === 'string' ? userName : '',
      token,
    };
  }

  save(credentials: Credentials): void {
    this.file.write({ ...credentials });
  }

  /** Forgets the token but keeps the server and user name as defaults for the next sign-in. */
  forgetToken(): void {
    const { kind, server, userName } = this.file.read();
    this.file.write({ ...(kind ? { kind } : {}), ...(server ? { server } : {}), ...(userName ? { userName } : {}) });
  }

  /** The last server (and its kind, when recorded) and user signed in, for prompts. */
  lastUsed(): { kind?: string; server?: string; userName?: string } {
    const { kind, server, userName } = this.file.read();
    return { ...(typeof kind === 'string' && kind !== '' ? { kind } : {}), ...(typeof server === 'string' ? { server } : {}), ...(typeof userName === 'string' ? { userName } : {}) };
  }

  get path(): string {
    return this.file.path;
  }
}

/** Narrows an existing credentials file to 0600 when its mode lets group or others in. */
async function makePrivate(file: string, notices: string[]): Promise<void> {
  // Windows has no group/other permission bits to narrow (stat reports 0666 for every file).
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    const found = await stat(file);
    // (a folder, a pipe, a device, maybe through a link: no credentials to narrow, and never
    // reelterm's to change; it is moved aside as unreadable next)
    if (!found.isFile()) return;
    mode = found.mode;
  } catch {
    return; // Not there yet: it is created 0600.
  }
  if ((mode & 0o077) === 0) return;
  try {
    await chmod(file, 0o600);
    notices.push('credentials.json was readable by other users; it is now private (0600)');
  } catch (chmodError) {
    // Owned by someone else (`sudo reelterm login`): the folder is ours, so a private copy of
    // our own replaces it, atomically.
    const copy = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(copy, await readFileBytes(file), { mode: 0o600, flag: 'wx' });
      await rename(copy, file);
      notices.push('credentials.json was readable by other users (and owned by another); it is now a private copy of yours (0600)');
      return;
    } catch {
      await unlink(copy).catch(() => undefined);
    }
    const error = chmodError;
    notices.push(
      `credentials.json is readable by other users and could not be made private (${(error as Error).message}). ` +
        `Run: sudo chown "$USER" ${file} && chmod 600 ${file}`,
    );
  }
}
