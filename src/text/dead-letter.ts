import type { DeadLetter } from '../sync/op.js';
import { formatTicks } from './time.js';

/**
 * What a superseded update would have written and what the server has instead, e.g.
 * "server: 50:12 · yours: 30:00" or "server: watched · yours: 30:00".
 */
export function supersededText(dead: DeadLetter): string {
  const state = (positionTicks: number | undefined, played: boolean | undefined) =>
    played === true ? 'watched' : positionTicks !== undefined && positionTicks > 0 ? formatTicks(positionTicks) : 'not started';
  const { op } = dead;
  const yours =
    op.kind === 'played' ? 'watched' : op.kind === 'unplayed' ? 'unwatched' : state(op.payload.positionTicks, op.payload.played);
  const server = dead.server === undefined ? 'newer activity' : state(dead.server.positionTicks, dead.server.played);
  return `server: ${server} · yours: ${yours}`;
}
