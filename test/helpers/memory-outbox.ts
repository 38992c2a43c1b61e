import { Low, Memory } from 'lowdb';
import { Outbox } from '../../src/sync/outbox.js';
import { emptyQueue, type QueueData } from '../../src/sync/op.js';
import { ScriptedDeliver } from './scripted-deliver.js';

/**
 * An outbox on lowdb's Memory adapter with a scripted server, for screen tests that need
 * queue states (file behaviour is tested against real files elsewhere).
 */
export function memoryOutbox() {
  const deliver = new ScriptedDeliver();
  const db = new Low<QueueData>(new Memory<QueueData>(), emptyQueue());
  const outbox = new Outbox({ db, deliver, random: () => 0.5 });
  return { outbox, deliver, db };
}
