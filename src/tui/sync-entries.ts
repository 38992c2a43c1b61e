import { sanitizeText } from '../jellyfin/sanitize.js';
import type { DeadLetter, Op, OpAccount } from '../sync/op.js';
import type { SyncStatus } from '../sync/status.js';

/**
 * One row of the sync screen. `pending`: this account's, on its way (retried with backoff);
 * `live`: a playing item's progress waiting for its regular slot (on schedule, not late);
 * `other`: another account's, kept until that account signs in again; `failed`: a dead letter.
 */
export type SyncEntry =
  | { type: 'pending'; op: Op }
  | { type: 'live'; op: Op }
  | { type: 'other'; op: Op; account?: OpAccount }
  | { type: 'failed'; dead: DeadLetter; account?: OpAccount };

const accountKey = (account: OpAccount | undefined): string => (account === undefined ? '' : `${account.server}\n${account.userId}`);

/**
 * The signed-in account's key among the queued ops, read from the counts the engine gives
 * (`pending` are its own, `otherAccounts` the rest): the one account holding exactly `pending`
 * ops. Undefined when every op is its own. Should two accounts hold as many, the one with the
 * newest op is taken (the signed-in user is the one acting now).
 */
function ownKey(ops: readonly Op[], status: SyncStatus): string | null | undefined {
  if (status.otherAccounts === 0) return undefined;
  if (status.pending === 0) return null;
  const groups = new Map<string, { count: number; newest: number }>();
  for (const op of ops) {
    const key = accountKey(op.account);
    const group = groups.get(key) ?? { count: 0, newest: -Infinity };
    group.count += 1;
    group.newest = Math.max(group.newest, op.seq);
    groups.set(key, group);
  }
  const candidates = [...groups].filter(([, g]) => g.count === status.pending).sort((a, b) => b[1].newest - a[1].newest);
  return candidates[0]?.[0];
}

/**
 * The sync screen's rows, in order: this account's queued updates (a playing item's progress
 * marked live), then other accounts' ones, then the failed ones. Pure, so it follows the same
 * counts as the footer: `status.live` of the progress updates are live, the rest are pending.
 */
export function syncEntries(ops: readonly Op[], deadLetters: readonly DeadLetter[], status: SyncStatus): SyncEntry[] {
  const own = ownKey(ops, status);
  const isOwn = (account: OpAccount | undefined) => own === undefined || (own !== null && accountKey(account) === own);
  const mine = ops.filter((op) => isOwn(op.account));
  // The engine holds back a playing item's regular progress (not a pause, resume or seek); of
  // those, the freshest are the ones playing now.
  const held = mine
    .filter((op) => op.kind === 'progress' && !op.payload.urgent)
    .sort((a, b) => a.attempts - b.attempts || Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .slice(0, Math.max(0, status.live));
  const live = new Set(held.map((op) => op.id));
  const entries: SyncEntry[] = mine.map((op) => (live.has(op.id) ? { type: 'live', op } : { type: 'pending', op }));
  for (const op of ops) if (!isOwn(op.account)) entries.push(op.account ? { type: 'other', op, account: op.account } : { type: 'other', op });
  for (const dead of deadLetters) {
    // Another account's failed update can be told only once the signed-in account is known.
    const foreign = own !== undefined && own !== null && dead.op.account !== undefined && accountKey(dead.op.account) !== own;
    entries.push(foreign ? { type: 'failed', dead, account: dead.op.account! } : { type: 'failed', dead });
  }
  return entries;
}

/** "for alice on https://jf.example", sanitised: both come from the queue file. */
export function accountText(account: OpAccount | undefined): string {
  return account === undefined ? 'for another account' : `for ${sanitizeText(account.userName)} on ${sanitizeText(account.server)}`;
}
