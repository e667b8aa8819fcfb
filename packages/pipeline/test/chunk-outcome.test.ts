import { createRng } from '@tapir/core';
import { chunkOutcome, type ItemFailureKind } from '../src/chunk-outcome';

/** Errors that say which kind they are, so the classifier under test is trivial. */
class Tagged extends Error {
  constructor(readonly kind: ItemFailureKind) {
    super(kind);
  }
}
const kindOf = (e: unknown) => (e as Tagged).kind;
const ok = (): PromiseSettledResult<unknown> => ({ status: 'fulfilled', value: undefined });
const fail = (kind: ItemFailureKind): PromiseSettledResult<unknown> => ({ status: 'rejected', reason: new Tagged(kind) });

describe('chunk outcome', () => {
  test('all items done: the job completes with nothing to record', () => {
    expect(chunkOutcome([1, 2, 3], [ok(), ok(), ok()], { lastAttempt: false, kindOf })).toEqual({ action: 'done', final: [] });
    expect(chunkOutcome([], [], { lastAttempt: true, kindOf })).toEqual({ action: 'done', final: [] });
  });

  test('a final failure is recorded for its item alone and the job still completes', () => {
    const out = chunkOutcome([1, 2, 3], [ok(), fail('final'), ok()], { lastAttempt: false, kindOf });
    expect(out.action).toBe('done');
    expect(out.final.map((f) => f.itemId)).toEqual([2]);
  });

  test('a retryable failure retries the job, except on its last attempt, where it is final', () => {
    const settled = [fail('retry'), ok(), fail('final')];
    const early = chunkOutcome([4, 5, 6], settled, { lastAttempt: false, kindOf });
    expect(early.action).toBe('retry');
    expect(early.final.map((f) => f.itemId)).toEqual([6]);
    const last = chunkOutcome([4, 5, 6], settled, { lastAttempt: true, kindOf });
    expect(last.action).toBe('done');
    expect(last.final.map((f) => f.itemId)).toEqual([4, 6]);
  });

  test('precedence: halted over postpone over retry; the error is the first of the winning kind', () => {
    const out = chunkOutcome([1, 2, 3, 4], [fail('retry'), fail('postpone'), fail('postpone'), fail('halted')], { lastAttempt: false, kindOf });
    expect(out.action).toBe('halted');
    const settled = [fail('retry'), fail('postpone'), fail('postpone')];
    const postponed = chunkOutcome([1, 2, 3], settled, { lastAttempt: true, kindOf });
    expect(postponed).toEqual({ action: 'postpone', error: (settled[1] as PromiseRejectedResult).reason, final: [{ itemId: 1, error: (settled[0] as PromiseRejectedResult).reason }] });
  });

  test('property: every failed item is either recorded or left to the next attempt, never both, never lost', () => {
    const rng = createRng(3);
    const kinds: (ItemFailureKind | 'ok')[] = ['ok', 'ok', 'ok', 'halted', 'postpone', 'retry', 'final'];
    for (let trial = 0; trial < 500; trial++) {
      const n = rng.int(12);
      const ids = Array.from({ length: n }, (_, i) => 100 + i);
      const drawn = ids.map(() => kinds[rng.int(kinds.length)]!);
      const lastAttempt = rng.next() < 0.3;
      const out = chunkOutcome(ids, drawn.map((k) => (k === 'ok' ? ok() : fail(k))), { lastAttempt, kindOf });
      const expectedFinal = ids.filter((_, i) => drawn[i] === 'final' || (drawn[i] === 'retry' && lastAttempt));
      expect(out.final.map((f) => f.itemId)).toEqual(expectedFinal);
      const pendingKinds = new Set(drawn.filter((k) => k === 'halted' || k === 'postpone' || (k === 'retry' && !lastAttempt)));
      const expectedAction = (['halted', 'postpone', 'retry'] as const).find((k) => pendingKinds.has(k)) ?? 'done';
      expect(out.action).toBe(expectedAction);
      if (out.action !== 'done') expect(kindOf(out.error)).toBe(expectedAction);
    }
  });

  test('results and items must pair up', () => {
    expect(() => chunkOutcome([1, 2], [ok()], { lastAttempt: false, kindOf })).toThrow(RangeError);
  });
});
