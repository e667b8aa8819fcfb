import { stallVerdict } from '../src/stall-verdict';

describe('stall verdict', () => {
  const WINDOW = 15_000;

  test('a first look only starts the window', () => {
    expect(stallVerdict(undefined, 'a', 1000, WINDOW)).toEqual({ next: { fingerprint: 'a', since: 1000 }, reconcile: false });
  });

  test('progress restarts the window', () => {
    expect(stallVerdict({ fingerprint: 'a', since: 0 }, 'b', 60_000, WINDOW)).toEqual({ next: { fingerprint: 'b', since: 60_000 }, reconcile: false });
  });

  test('no progress within the window: keep waiting, keep the original mark', () => {
    const mark = { fingerprint: 'a', since: 1000 };
    expect(stallVerdict(mark, 'a', 1000 + WINDOW - 1, WINDOW)).toEqual({ next: mark, reconcile: false });
  });

  test('no progress for the whole window: reconcile once, and the window starts again', () => {
    const first = stallVerdict({ fingerprint: 'a', since: 0 }, 'a', WINDOW, WINDOW);
    expect(first).toEqual({ next: { fingerprint: 'a', since: WINDOW }, reconcile: true });
    expect(stallVerdict(first.next, 'a', WINDOW + 1000, WINDOW).reconcile).toBe(false);
    expect(stallVerdict(first.next, 'a', 2 * WINDOW, WINDOW).reconcile).toBe(true);
  });

  test('a clock that went back (a mark from another clock) restarts the window instead of reconciling', () => {
    expect(stallVerdict({ fingerprint: 'a', since: 50_000 }, 'a', 10_000, WINDOW)).toEqual({ next: { fingerprint: 'a', since: 10_000 }, reconcile: false });
  });

  test('looks at any cadence reconcile at most once per window', () => {
    let mark;
    let reconciles = 0;
    for (let now = 0; now <= 60_000; now += 700) {
      const v = stallVerdict(mark, 'same', now, WINDOW);
      mark = v.next;
      if (v.reconcile) reconciles++;
    }
    expect(reconciles).toBe(3);
  });
});
