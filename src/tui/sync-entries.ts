import { sanitizeText } from '../text/sanitize.js';
import type { DeadLetter, Op, OpAccount } from '../sync/op.js';
import type { Outbox } from '../sync/outbox.js';

/**
 * One row of the sync screen. `pending`: this account's, on its way (retried with backoff);
 * `live`: a playing item's progress waiting for its regular slot (on schedule, not late);
 * `other`: another account's, kept until that account signs in again; `failed`: a dead letter
 * (with its account when it is another's).
 */
export type SyncEntry =
  | { type: 'pending'; op: Op }
  | { type: 'live'; op: Op }
  | { type: 'other'; op: Op; account?: OpAccount }
  | { type: 'failed'; dead: DeadLetter; account?: OpAccount };

/**
 * The sync screen's rows, in order: this account's queued updates (a playing item's progress
 * marked live), then other accounts' ones, then the failed ones, as the engine sees each
 * (`Outbox.opState`), so the screen counts as the footer does.
 */
export function syncEntries(ops: readonly Op[], deadLetters: readonly DeadLetter[], opState: Outbox['opState']): SyncEntry[] {
  const states = ops.map((op) => ({ op, state: opState(op) }));
  const entries: SyncEntry[] = states.flatMap(({ op, state }): SyncEntry[] => (state === 'other' ? [] : [{ type: state, op }]));
  for (const { op, state } of states) if (state === 'other') entries.push(op.account ? { type: 'other', op, account: op.account } : { type: 'other', op });
  for (const dead of deadLetters) {
    const foreign = dead.op.account !== undefined && opState(dead.op) === 'other';
    entries.push(foreign ? { type: 'failed', dead, account: dead.op.account! } : { type: 'failed', dead });
  }
  return entries;
}

/** "for alice on https://jf.example", sanitised: both come from the queue file. */
export function accountText(account: OpAccount | undefined): string {
  return account === undefined ? 'for another account' : `for ${sanitizeText(account.userName)} on ${sanitizeText(account.server)}`;
}
