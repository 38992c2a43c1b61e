import { ApiError, type ApiErrorDetails } from '../../src/servers/jellyfin/errors.js';
import type { Deliver } from '../../src/sync/deliver.js';
import type { Op } from '../../src/sync/op.js';

type SendResult = 'delivered' | 'superseded' | 'expired' | ApiErrorDetails | 'hang';

/**
 * A Deliver whose answers a test scripts. Used only by the virtual-time engine tests, where a
 * real server cannot take part in fake time; the real-server tests use the demo server.
 */
export class ScriptedDeliver implements Deliver {
  /** Every op sent, in order. */
  readonly sent: Op[] = [];
  probes = 0;
  /** Answers for the next sends, consumed in order; when empty, `fallback` answers. */
  readonly script: SendResult[] = [];
  fallback: SendResult = 'delivered';
  probeScript: Array<'ok' | ApiErrorDetails> = [];
  probeFallback: 'ok' | ApiErrorDetails = 'ok';
  aborted = 0;

  async send(op: Op, context: { signal: AbortSignal }): Promise<'delivered' | 'superseded' | 'expired'> {
    this.sent.push(structuredClone(op));
    const answer = this.script.length > 0 ? this.script.shift()! : this.fallback;
    if (answer === 'hang') {
      return new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => {
          this.aborted += 1;
          reject(new ApiError('aborted', { kind: 'retryable' }));
        });
      });
    }
    if (answer === 'delivered' || answer === 'superseded' || answer === 'expired') return answer;
    throw new ApiError(`scripted ${answer.kind}`, answer);
  }

  async probe(): Promise<void> {
    this.probes += 1;
    const answer = this.probeScript.length > 0 ? this.probeScript.shift()! : this.probeFallback;
    if (answer !== 'ok') throw new ApiError(`probe ${answer.kind}`, answer);
  }
}

/** Connection refused, as the client reports it. */
export const REFUSED: ApiErrorDetails = { kind: 'retryable', offline: true };
/** A 503 from a sick server. */
export const UNAVAILABLE: ApiErrorDetails = { kind: 'retryable', status: 503 };
