import type { DbTransaction } from '@tapir/db';
import type { LlmError } from '@tapir/llm';

/** What a request may cost at most (rough prompt size plus the reply limit), or what it cost. */
export interface Usage {
  usd: number;
  tokens: number;
}

/**
 * One concern wrapped around a request that will really be sent (a request served from the
 * ledger runs none of them): the endpoint's rate limit, the campaign's budget, the role's
 * concurrency slot. The ledger runs a list of hooks in order, so that what each needs to happen
 * before, around and after the send is written once, in the hook, and the caller only composes.
 */
export interface SendHook {
  /** Before sending, with the request's worst case. Throwing stops the request: it is not sent. */
  before?(worstCase: Usage): Promise<void>;
  /** Wraps the HTTP request alone (not the ledger writes around it); the first hook is outermost. */
  around?<T>(send: () => Promise<T>): Promise<T>;
  /**
   * Statements that must commit together with the request's outcome: called inside the
   * transaction that completes or fails its ledger row (or removes it, when a later hook's
   * `before` stopped the request), with the worst case `before` saw and what was paid (zero
   * unless answered), and only once this hook's `before` has passed. A paid answer and what it
   * counts against thus cannot be written one without the other. Without any `settle`, answers
   * are written in shared batches instead of a transaction each.
   */
  settle?(tx: DbTransaction, reserved: Usage, paid: Usage): Promise<void>;
  /** As soon as an answer is in, before its row is written (to free early what `before` held); a failure here is ignored. */
  afterAnswer?(worstCase: Usage, used: Usage): Promise<void>;
  /** After a failed send, once its row is written; a failure here is ignored. */
  afterFailure?(error: LlmError): Promise<void>;
}

/** The hooks' `around`s nested into one, the first hook outermost. */
export function aroundAll<T>(hooks: readonly SendHook[], send: () => Promise<T>): Promise<T> {
  return hooks.reduceRight<() => Promise<T>>((inner, hook) => (hook.around ? () => hook.around!(inner) : inner), send)();
}
