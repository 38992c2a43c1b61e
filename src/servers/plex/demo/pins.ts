/**
 * plex.tv's PIN sign-in (PLEX.md §2.2): a client creates a PIN, the user links its code at
 * plex.tv/link (here: the `linkPin` test hook), the client polls until `authToken` is set.
 */
import { randomInt } from 'node:crypto';
import type { PlexAccount } from './accounts.js';

/** One PIN as the server keeps it. */
export interface Pin {
  id: number;
  code: string;
  strong: boolean;
  product: string;
  clientIdentifier: string;
  /** Epoch ms on the plex.tv clock. */
  createdAt: number;
  expiresAt: number;
  /** Set once the code is linked. */
  account?: PlexAccount;
}

// Codes avoid nothing special: plex.tv's own examples mix letters and digits ("7RQZ").
const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const STRONG_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function code(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** The PINs created so far. */
export class Pins {
  private readonly byId = new Map<number, Pin>();
  private nextId = 111_222_000;

  /**
   * A new PIN: 4 characters for 900 s, or with `strong` 25 characters for 1800 s (PLEX.md §2.2,
   * the 1800 s from an SDK's doc example).
   */
  create(strong: boolean, product: string, clientIdentifier: string, now: number): Pin {
    this.nextId += 1;
    const lifetime = strong ? 1800 : 900;
    const pin: Pin = { id: this.nextId, code: strong ? code(STRONG_ALPHABET, 25) : code(CODE_ALPHABET, 4), strong, product, clientIdentifier, createdAt: now, expiresAt: now + lifetime * 1000 };
    this.byId.set(pin.id, pin);
    return pin;
  }

  /** A live PIN by id for the client that created it; undefined when unknown, expired or another client's. */
  poll(id: number, clientIdentifier: string | undefined, now: number): Pin | undefined {
    const pin = this.byId.get(id);
    if (!pin || now >= pin.expiresAt || pin.clientIdentifier !== clientIdentifier) return undefined;
    return pin;
  }

  /** Links a live PIN's code to an account (the user entering it at plex.tv/link); false when no live PIN has it. */
  link(code: string, account: PlexAccount, now: number): boolean {
    for (const pin of this.byId.values()) {
      if (pin.code.toLowerCase() === code.toLowerCase() && now < pin.expiresAt) {
        pin.account = account;
        return true;
      }
    }
    return false;
  }

  /** Every PIN created, for tests and the auto-link option. */
  all(): Pin[] {
    return [...this.byId.values()];
  }
}
