import { Box, Text, useInput } from 'ink';
import { useState, useSyncExternalStore } from 'react';
import { formatSpan, formatTicks } from '../../commands/format.js';
import { sanitizeText } from '../../jellyfin/sanitize.js';
import type { Outbox } from '../../sync/outbox.js';
import type { DeadLetter, Op } from '../../sync/op.js';
import { useKeyState } from '../hooks/use-key-state.js';
import { useListNavigation } from '../hooks/use-list-navigation.js';
import { toneColour } from '../theme.js';
import { WindowedList } from './WindowedList.js';

/** What the sync screen needs from the outbox. */
export type SyncQueue = Pick<Outbox, 'status' | 'subscribe' | 'pendingOps' | 'deadLetters' | 'retryNow' | 'retryDeadLetter' | 'discardDeadLetter' | 'discardPending'>;

type Entry = { type: 'pending'; op: Op } | { type: 'failed'; dead: DeadLetter };

function describe(op: Op, now: number): string {
  const parts = [sanitizeText(op.title ?? op.itemId), op.kind];
  if (op.payload.positionTicks !== undefined) parts.push(formatTicks(op.payload.positionTicks));
  parts.push(`${formatSpan(now - Date.parse(op.createdAt))} ago`);
  return parts.join(' · ');
}

function entryText(entry: Entry, now: number): string {
  if (entry.type === 'failed') return `✗ ${describe(entry.dead.op, now)} · ${entry.dead.reason}: ${sanitizeText(entry.dead.error)}`;
  const { op } = entry;
  const parts = [describe(op, now), `${op.attempts} ${op.attempts === 1 ? 'attempt' : 'attempts'}`];
  if (op.nextAttemptAt !== null && Date.parse(op.nextAttemptAt) > now) parts.push(`next in ${formatSpan(Date.parse(op.nextAttemptAt) - now)}`);
  if (op.lastError) parts.push(sanitizeText(op.lastError));
  return `• ${parts.join(' · ')}`;
}

/**
 * Every pending update and every failed one, with actions: `enter` retries the selected
 * one, `d` discards it (after a y/n confirmation), `r` retries everything now.
 */
export function SyncScreen({ queue, height, onConfirming }: { queue: SyncQueue; height: number; onConfirming?: (asking: boolean) => void }) {
  const status = useSyncExternalStore((cb) => queue.subscribe(cb), () => queue.status());
  const entries: Entry[] = [
    ...queue.pendingOps().map((op) => ({ type: 'pending' as const, op })),
    ...queue.deadLetters().map((dead) => ({ type: 'failed' as const, dead })),
  ];
  const asked = useKeyState<Entry | undefined>(undefined);
  const confirm = {
    get current() {
      return asked.current;
    },
    set(entry: Entry | undefined) {
      asked.set(entry);
      onConfirming?.(entry !== undefined);
    },
  };
  const confirming = confirm.current;
  const [message, setMessage] = useState<string | undefined>(undefined);
  const listHeight = Math.max(1, height - 4);
  const [selected, , latest] = useListNavigation(entries.length, listHeight, confirming === undefined);
  const now = Date.now();

  useInput((input, key) => {
    const current = entries[latest.current];
    const confirming = confirm.current;
    if (confirming !== undefined) {
      if (input === 'y') {
        const done = confirming.type === 'failed' ? queue.discardDeadLetter(confirming.dead.op.id) : queue.discardPending(confirming.op.id);
        void done.then((ok) => setMessage(ok ? 'Discarded.' : 'Could not discard: it is being sent right now.'));
        confirm.set(undefined);
      } else if (input === 'n' || key.escape) {
        confirm.set(undefined);
      }
      return;
    }
    if (key.return && current !== undefined) {
      if (current.type === 'failed') {
        void queue.retryDeadLetter(current.dead.op.id).then((queued) => setMessage(queued ? 'Queued again.' : 'A newer update for that item is already queued.'));
      } else {
        queue.retryNow();
        setMessage('Retrying now.');
      }
    } else if (input === 'd' && current !== undefined) {
      confirm.set(current);
    }
  });

  const title = `Sync · ${status.pending} pending · ${status.deadLetters} failed`;
  const confirmOp = confirming?.type === 'failed' ? confirming.dead.op : confirming?.op;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>{title}</Text>
      <Box flexGrow={1} flexDirection="column">
        <WindowedList
          count={entries.length}
          selected={selected}
          height={listHeight}
          row={(i) => entryText(entries[i]!, now)}
          empty="Nothing pending. Every update has reached the server."
        />
      </Box>
      {confirmOp ? (
        <Text color={toneColour('warn')}>{`Discard ${sanitizeText(confirmOp.title ?? confirmOp.itemId)} (${confirmOp.kind})? It will never reach the server. y/n`}</Text>
      ) : (
        <Text dimColor>{message ?? 'enter retry · d discard · r retry all now · esc back'}</Text>
      )}
    </Box>
  );
}
