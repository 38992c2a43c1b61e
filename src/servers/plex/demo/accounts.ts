/**
 * The demo's plex.tv accounts and their tokens: each account has a plex.tv token (`authToken`,
 * what the PIN flow hands out) and a different token for the demo server (`accessToken` in
 * resources, PLEX.md §0.10), both rotated when tokens are revoked.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A demo account. */
export interface PlexAccount {
  id: number;
  uuid: string;
  username: string;
  title: string;
  email: string;
  /** A Plex Home managed user: `/:/progress` refuses it (PLEX.md §5.3). */
  managed: boolean;
  /** The plex.tv token (PIN flow, `/api/v2/user`, resources). Changes when tokens are revoked. */
  authToken: string;
  /** The token for the demo server, as resources give it (`accessToken`). Changes when tokens are revoked. */
  serverToken: string;
}

/** How an account is set up (`PlexDemoOptions.accounts`). */
export interface PlexAccountOptions {
  username: string;
  managed?: boolean;
}

/** A token in the form Plex's look: 20 characters of letters, digits, `-` and `_`. */
function newToken(): string {
  return randomBytes(15).toString('base64url');
}

/** The accounts and the tokens currently valid. */
export class PlexAccounts {
  readonly accounts: PlexAccount[];

  constructor(options: readonly PlexAccountOptions[]) {
    if (options.length === 0) throw new Error('The demo Plex server needs at least one account');
    this.accounts = options.map((option, index) => {
      const uuid = createHash('md5').update(`reelterm-plex-account-${option.username}`).digest('hex').slice(0, 16);
      return {
        id: 1000 + index + 1,
        uuid,
        username: option.username,
        title: option.username,
        email: `${option.username}@demo.invalid`,
        managed: option.managed ?? false,
        authToken: newToken(),
        serverToken: newToken(),
      };
    });
  }

  /** The account (the first is the server's owner). */
  get owner(): PlexAccount {
    return this.accounts[0] as PlexAccount;
  }

  named(username: string): PlexAccount {
    const account = this.accounts.find((candidate) => candidate.username === username);
    if (!account) throw new Error(`The demo Plex server has no account ${JSON.stringify(username)}; it has ${this.accounts.map((a) => a.username).join(', ')}`);
    return account;
  }

  /** The account whose plex.tv token this is. */
  byAccountToken(token: string | undefined): PlexAccount | undefined {
    return token === undefined ? undefined : this.accounts.find((account) => account.authToken === token);
  }

  /** The account whose server token this is (or, when `alsoAccountTokens`, whose plex.tv token). */
  byServerToken(token: string | undefined, alsoAccountTokens: boolean): PlexAccount | undefined {
    if (token === undefined) return undefined;
    return this.accounts.find((account) => account.serverToken === token || (alsoAccountTokens && account.authToken === token));
  }

  /** Revokes every token: each later request with an old one answers 401; the PIN flow hands out the new ones. */
  revokeAll(): void {
    for (const account of this.accounts) {
      account.authToken = newToken();
      account.serverToken = newToken();
    }
  }
}
