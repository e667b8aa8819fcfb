/**
 * How one item's failure inside a chunk job counts:
 * - `halted`: the campaign was paused or cancelled; the job is dropped (resume re-enqueues).
 * - `postpone`: the job should come back later without spending an attempt (a 429, PostgreSQL
 *   unreachable, the worker closing).
 * - `retry`: another attempt of the job could succeed (a 5xx, a timeout).
 * - `final`: no attempt will (or this was the last one): the item's failure is recorded.
 */
export type ItemFailureKind = 'halted' | 'postpone' | 'retry' | 'final';

export interface ItemFailure {
  itemId: number;
  error: unknown;
}

export type ChunkOutcome =
  | { action: 'done'; final: ItemFailure[] }
  | { action: 'halted' | 'postpone' | 'retry'; error: unknown; final: ItemFailure[] };

const PRECEDENCE: readonly ItemFailureKind[] = ['halted', 'postpone', 'retry'];

/**
 * What a chunk job does once every item's step has settled. Items that failed for good are
 * recorded whatever else happens (a retry skips them: they are failed in PostgreSQL); the job as
 * a whole is dropped, postponed or retried for the first item that calls for it, in that order
 * of precedence, and completes otherwise. On the job's last attempt a retryable failure is final.
 */
export function chunkOutcome(
  itemIds: readonly number[],
  settled: readonly PromiseSettledResult<unknown>[],
  options: { lastAttempt: boolean; kindOf: (error: unknown) => ItemFailureKind },
): ChunkOutcome {
  if (settled.length !== itemIds.length) throw new RangeError(`chunkOutcome: ${settled.length} results for ${itemIds.length} items`);
  const final: ItemFailure[] = [];
  const firstOf = new Map<ItemFailureKind, unknown>();
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    let kind = options.kindOf(result.reason);
    if (kind === 'retry' && options.lastAttempt) kind = 'final';
    if (kind === 'final') final.push({ itemId: itemIds[i]!, error: result.reason });
    else if (!firstOf.has(kind)) firstOf.set(kind, result.reason);
  });
  for (const action of PRECEDENCE) {
    if (firstOf.has(action)) return { action: action as 'halted' | 'postpone' | 'retry', error: firstOf.get(action), final };
  }
  return { action: 'done', final };
}
