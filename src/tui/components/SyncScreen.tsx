import { Box, Text } from 'ink';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { formatSpan, formatTicks } from '../../text/time.js';
import { supersededText } from '../../text/dead-letter.js';
import { sanitizeText } from '../../text/sanitize.js';
import type { Outbox } from '../../sync/outbox.js';
import type { Op } from '../../sync/op.js';
import type { SyncStatus } from '../../sync/status.js';
import { waitingCount } from '../footer-text.js';
import { useKeyState } from '../hooks/use-key-state.js';
import { useKeys } from '../hooks/use-keys.js';
import { APP_KEYS } from '../keys.js';
import { useListNavigation } from '../hooks/use-list-navigation.js';
import { useMessage } from '../hooks/use-notice.js';
import { accountText, syncEntries, type SyncEntry } from '../sync-entries.js';
import { toneColour } from '../theme.js';
import { wrapText } from '../wrap-text.js';
import { counted } from '../plural.js';
import { WindowedList } from './WindowedList.js';

/** What the sync screen needs from the outbox. */
export type SyncQueue = Pick<Outbox, 'status' | 'subscribe' | 'pendingOps' | 'deadLetters' | 'opState' | 'retryNow' | 'retryDeadLetter' | 'discardDeadLetter' | 'discardPending'>;

function describe(op: Op, now: number): string {
  const parts = [sanitizeText(op.title ?? op.itemId), op.kind];
  if (op.payload.positionTicks !== undefined) parts.push(formatTicks(op.payload.positionTicks));
  parts.push(`${formatSpan(now - Date.parse(op.createdAt))} ago`);
  return parts.join(' · ');
}

const attemptsText = (op: Op) => `${op.attempts} ${op.attempts === 1 ? 'attempt' : 'attempts'}`;

function entryText(entry: SyncEntry, now: number): string {
  switch (entry.type) {
    case 'failed': {
      const { dead } = entry;
      const why =
        dead.reason === 'expired'
          ? 'expired: too old to send on its own'
          : dead.reason === 'superseded'
            ? `changed elsewhere: ${supersededText(dead)}`
            : `${dead.reason}: ${sanitizeText(dead.error)}`;
      const whose = entry.account ? ` · ${accountText(entry.account)}` : '';
      return `✗ ${describe(dead.op, now)}${whose} · ${why}`;
    }
    case 'live': {
      // On its way on schedule: neither late nor failing, so no age, attempts or error.
      const { op } = entry;
      const at = op.payload.positionTicks !== undefined ? ` ${formatTicks(op.payload.positionTicks)}` : '';
      return `▶ ${sanitizeText(op.title ?? op.itemId)} · ${op.kind}${at} · playing: sent on schedule`;
    }
    case 'other':
      // Not tried while another account is signed in: no attempts or retry time to show.
      return `• ${describe(entry.op, now)} · ${accountText(entry.account)}`;
    case 'pending': {
      const { op } = entry;
      const parts = [describe(op, now), attemptsText(op)];
      if (op.nextAttemptAt !== null && Date.parse(op.nextAttemptAt) > now) parts.push(`next in ${formatSpan(Date.parse(op.nextAttemptAt) - now)}`);
      if (op.lastError) parts.push(sanitizeText(op.lastError));
      return `• ${parts.join(' · ')}`;
    }
  }
}

/** The screen's title: the same counts as the footer (a playing item's progress is not pending). */
function titleText(status: SyncStatus): string {
  const parts = ['Sync', `${waitingCount(status)} pending`];
  if (status.live > 0) parts.push(`${status.live} playing`);
  if (status.otherAccounts > 0) parts.push(`${status.otherAccounts} for another account`);
  parts.push(`${status.deadLetters - status.superseded} failed${status.expired > 0 ? ` (${status.expired} expired)` : ''}`);
  if (status.superseded > 0) parts.push(`${status.superseded} changed elsewhere`);
  return parts.join(' · ');
}

/** More about the selected entry, when its row cannot say it all (wrapped to the screen's width). */
function detailText(entry: SyncEntry | undefined): string | undefined {
  if (entry?.type === 'failed' && entry.dead.reason === 'expired') return "Over 30 days old (server's clock): not sent on its own. enter sends it anyway.";
  if (entry?.type === 'failed' && entry.dead.reason === 'superseded') {
    return `Another device or app changed it since (${supersededText(entry.dead)}): kept the server's. enter sends yours anyway.`;
  }
  // The row cuts a long reason: here it is whole.
  if (entry?.type === 'failed') return `Failed (${entry.dead.reason}): ${sanitizeText(entry.dead.error)}`;
  // A queued one that has been tried: why it has not gone yet, whole.
  if (entry?.type === 'pending' && entry.op.lastError) return `Not sent yet (${counted(entry.op.attempts, 'try', 'tries')}): ${sanitizeText(entry.op.lastError)}`;
  return undefined;
}

/** The key line, for what is selected. */
function keysText(entry: SyncEntry | undefined): string {
  if (entry?.type === 'failed' && (entry.dead.reason === 'expired' || entry.dead.reason === 'superseded')) return 'enter send it anyway · d discard · r retry all now · esc back';
  if (entry?.type === 'other') return 'goes when its account signs in · d discard · esc back';
  return 'enter retry · d discard · r retry all now · esc back';
}

const entryOp = (entry: SyncEntry): Op => (entry.type === 'failed' ? entry.dead.op : entry.op);
const entryId = (entry: SyncEntry | undefined): string | undefined => (entry === undefined ? undefined : `${entry.type === 'failed' ? 'failed' : 'queued'}:${entryOp(entry).id}`);

/**
 * Every pending update and every failed one, with actions: `enter` retries the selected
 * one, `d` discards it (after a y/n confirmation), `r` retries everything now. Another
 * account's updates are listed too; they go only when that account signs in again.
 */
export function SyncScreen({ queue, height, columns = 80, active = true, onConfirming, messageMs }: {
  queue: SyncQueue;
  height: number;
  columns?: number;
  active?: boolean;
  onConfirming?: (asking: boolean) => void;
  /** How long a message ("Retrying now.") stays. */
  messageMs?: number;
}) {
  const status = useSyncExternalStore((cb) => queue.subscribe(cb), () => queue.status());
  const entries = syncEntries(queue.pendingOps(), queue.deadLetters(), (op) => queue.opState(op));
  const asked = useKeyState<SyncEntry | undefined>(undefined);
  const confirm = {
    get current() {
      return asked.current;
    },
    set(entry: SyncEntry | undefined) {
      asked.set(entry);
      onConfirming?.(entry !== undefined);
    },
  };
  const confirming = confirm.current;
  const [message, setMessage] = useMessage(messageMs);
  const [selected, select, latest] = useListNavigation(entries.length, Math.max(1, height - 4), active && confirming === undefined);
  const now = Date.now();
  // The selection is an update, not a row: when rows above it land (or new ones come), it
  // follows its update, so `d` never acts on the one that slid under the cursor.
  const chosen = useRef<{ id: string | undefined; index: number }>({ id: undefined, index: -1 });
  if (chosen.current.index !== selected) chosen.current = { id: entryId(entries[selected]), index: selected };
  const moved = chosen.current.id === undefined ? -1 : entries.findIndex((entry) => entryId(entry) === chosen.current.id);
  const shown = moved >= 0 ? moved : selected;
  useEffect(() => {
    if (shown !== selected) {
      chosen.current.index = shown;
      select(shown);
    }
  });

  useKeys((input, key) => {
    // A move typed since the last frame is the user's choice; otherwise the update they chose.
    const current = latest.current !== selected ? entries[latest.current] : entries[shown];
    const confirming = confirm.current;
    if (confirming !== undefined) {
      if (input === 'y') {
        const done = confirming.type === 'failed' ? queue.discardDeadLetter(confirming.dead.op.id) : queue.discardPending(confirming.op.id);
        void done.then((ok) => setMessage(ok ? 'Discarded.' : 'Could not discard: it is being sent right now.'));
        confirm.set(undefined);
      } else if (input === 'n' || key.escape || key.backspace) {
        confirm.set(undefined);
      } else if (APP_KEYS.has(input)) {
        // `q` and `?` work anywhere; the question stays for when the help closes.
        return false;
      }
      return true;
    }
    if (key.return && current !== undefined) {
      if (current.type === 'failed') {
        const { dead, account } = current;
        const queued =
          dead.reason === 'expired'
            ? 'Queued again: it goes whatever its age.'
            : dead.reason === 'superseded'
              ? "Queued again: it replaces what the server has."
              : 'Queued again.';
        const later = account ? ` It goes when ${sanitizeText(account.userName)} signs in again.` : '';
        void queue.retryDeadLetter(dead.op.id).then((back) => setMessage(back ? queued + later : 'A newer update for that item is already queued.'));
      } else if (current.type === 'other') {
        // This engine delivers only the signed-in account's updates: no retry from here.
        setMessage(`That update is ${accountText(current.account)}: it goes when that account signs in again.`);
      } else {
        queue.retryNow();
        setMessage('Retrying now.');
      }
    } else if (input === 'd' && current !== undefined) {
      confirm.set(current);
    }
  }, { isActive: active });

  const confirmOp = confirming ? entryOp(confirming) : undefined;
  const detail = confirmOp ? undefined : wrapText(detailText(entries[shown]) ?? '', columns).slice(0, 3);
  // The detail takes up to three rows under the list; one is always kept for it, so the list does not jump.
  const listHeight = Math.max(1, height - 3 - Math.max(1, detail?.length ?? 0));
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>{titleText(status)}</Text>
      {status.notice ? <Text color={toneColour('warn')} wrap="wrap">{status.notice}</Text> : null}
      <Box flexGrow={1} flexDirection="column">
        <WindowedList
          count={entries.length}
          selected={shown}
          height={listHeight}
          row={(i) => entryText(entries[i]!, now)}
          empty="Nothing pending. Every update has reached the server."
        />
      </Box>
      {detail?.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {confirmOp ? (
        <Text color={toneColour('warn')}>{`Discard ${sanitizeText(confirmOp.title ?? confirmOp.itemId)} (${confirmOp.kind})? It will never reach the server. y/n`}</Text>
      ) : (
        <Text dimColor>{message ?? keysText(entries[shown])}</Text>
      )}
    </Box>
  );
}
