import { useEffect } from 'react';
import { log } from '../../log.js';
import type { SyncQueue } from '../components/SyncScreen.js';

/**
 * Writes every update that failed for good to the log, once, with its whole reason: the sync
 * screen's row cuts a long one, and the log is where a bug report starts.
 */
export function useFailureLog(queue: Pick<SyncQueue, 'subscribe' | 'deadLetters'>): void {
  useEffect(() => {
    const logged = new Set<string>();
    const write = () => {
      for (const dead of queue.deadLetters()) {
        const key = `${dead.op.id}@${dead.at}`;
        if (logged.has(key)) continue;
        logged.add(key);
        log.warn('update failed for good', { title: dead.op.title ?? dead.op.itemId, kind: dead.op.kind, reason: dead.reason, error: dead.error });
      }
    };
    write();
    return queue.subscribe(write);
  }, [queue]);
}
