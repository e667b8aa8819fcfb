import { createRng, easyCountForHardShare, selectByHardShare } from '@tapir/core';

interface Item {
  id: number;
  hard: boolean;
}

/** Items from a pattern such as 'HHEEH': H hard, E easy; ids are positions. */
const items = (pattern: string): Item[] => [...pattern].map((c, id) => ({ id, hard: c === 'H' }));
const pool = (hard: number, easy: number): Item[] => items('H'.repeat(hard) + 'E'.repeat(easy));
const ids = (xs: Item[]) => xs.map((x) => x.id);

describe('easyCountForHardShare', () => {
  test('hard / (hard + easy) = hardShare, rounded half up', () => {
    expect(easyCountForHardShare(30, 0.75)).toBe(10);
    expect(easyCountForHardShare(30, 0.5)).toBe(30);
    expect(easyCountForHardShare(3, 0.3)).toBe(7);
    expect(easyCountForHardShare(10, 1)).toBe(0);
    expect(easyCountForHardShare(0, 0.3)).toBe(0);
    // 1 * 0.4 / 0.6 = 0.67 -> 1; 1 * 0.2 / 0.8 = 0.25 -> 0.
    expect(easyCountForHardShare(1, 0.6)).toBe(1);
    expect(easyCountForHardShare(1, 0.8)).toBe(0);
  });

  test('an exact half rounds up despite float noise', () => {
    // 2 * (1 - 0.8) / 0.8 is 0.5 exactly, but computes as 0.4999999999999999.
    expect((2 * (1 - 0.8)) / 0.8).toBeLessThan(0.5);
    expect(easyCountForHardShare(2, 0.8)).toBe(1);
    // 1 - 0.7 is 0.30000000000000004: 3 hard at h = 0.3 need exactly 7 easy.
    expect(easyCountForHardShare(3, 1 - 0.7)).toBe(7);
  });
});

describe('selectByHardShare', () => {
  test('hardShare 1 keeps only the hard items', () => {
    const r = selectByHardShare(items('EHHEEH'), 1, createRng(1));
    expect(ids(r.hard)).toEqual([1, 2, 5]);
    expect(ids(r.selected)).toEqual([1, 2, 5]);
    expect(r.easyKept).toEqual([]);
    expect(ids(r.dropped)).toEqual([0, 3, 4]);
  });

  test('hardShare is the hard share of the selected pool', () => {
    const p = pool(30, 100);
    const r = selectByHardShare(p, 0.75, createRng(1));
    expect(r.hard).toHaveLength(30);
    expect(r.easyKept).toHaveLength(10); // 30 / 40 = 0.75
    expect(r.selected).toHaveLength(40);
    expect(selectByHardShare(p, 0.5, createRng(1)).easyKept).toHaveLength(30);
    expect(selectByHardShare(p, 0.3, createRng(1)).easyKept).toHaveLength(70); // 30 / 100
  });

  test('the easy count is capped by the easy items available', () => {
    const r = selectByHardShare(items('HHHE'), 0.1, createRng(1));
    expect(r.easyKept).toHaveLength(1);
    expect(r.dropped).toHaveLength(0);
  });

  test('no hard items keeps nothing, whatever hardShare', () => {
    const r = selectByHardShare(items('EEE'), 0.3, createRng(1));
    expect(r.selected).toEqual([]);
    expect(r.dropped).toHaveLength(3);
  });

  test('empty input', () => {
    expect(selectByHardShare([], 0.3, createRng(1))).toEqual({ selected: [], hard: [], easyKept: [], dropped: [] });
  });

  test('all hard: everything kept at any share', () => {
    const r = selectByHardShare(items('HHHH'), 0.3, createRng(1));
    expect(ids(r.selected)).toEqual([0, 1, 2, 3]);
    expect(r.dropped).toEqual([]);
  });

  test('validates hardShare: (0, 1]', () => {
    const rng = createRng(1);
    for (const bad of [0, -0.1, 1.0001, NaN, Infinity]) {
      expect(() => selectByHardShare(items('HE'), bad, rng)).toThrow(RangeError);
    }
    expect(() => selectByHardShare(items('HE'), 1e-9, rng)).not.toThrow();
  });

  test('keeps extra fields and the very same objects', () => {
    const input = [{ hard: true, text: 'a' }, { hard: false, text: 'b' }];
    const r = selectByHardShare(input, 0.5, createRng(1));
    expect(r.selected[0]).toBe(input[0]);
    expect(r.selected.map((x) => x.text)).toEqual(['a', 'b']);
  });

  test('property: partition, sizes add up, every hard kept, share holds, order kept, deterministic', () => {
    const gen = createRng('selection-props');
    for (let t = 0; t < 400; t++) {
      const n = gen.int(120);
      const hardProbability = gen.next();
      const p = Array.from({ length: n }, (_, id) => ({ id, hard: gen.next() < hardProbability }));
      const hardShare = gen.int(4) === 0 ? 1 : (1 + gen.int(100)) / 100;
      const r = selectByHardShare(p, hardShare, createRng(t));

      const selected = new Set(ids(r.selected));
      const dropped = new Set(ids(r.dropped));
      expect(r.selected.length + r.dropped.length).toBe(n);
      expect(r.hard.length + r.easyKept.length).toBe(r.selected.length);
      expect([...selected].filter((id) => dropped.has(id))).toEqual([]);
      expect(new Set([...ids(r.hard), ...ids(r.easyKept)])).toEqual(selected);
      for (const item of p) if (item.hard) expect(selected.has(item.id)).toBe(true);
      expect(r.easyKept.every((x) => !x.hard)).toBe(true);
      expect(r.dropped.every((x) => !x.hard)).toBe(true);

      const hard = r.hard.length;
      const easyAvailable = n - hard;
      const ideal = hard === 0 ? 0 : (hard * (1 - hardShare)) / hardShare;
      if (hard === 0) expect(r.selected).toEqual([]);
      else if (ideal <= easyAvailable - 0.5) {
        // Enough easy items: the count is the ideal rounded, so the share is within rounding.
        expect(Math.abs(r.easyKept.length - ideal)).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(Math.abs(hard / r.selected.length - hardShare)).toBeLessThanOrEqual(0.5 / r.selected.length + 1e-9);
      } else {
        // Too few easy items: all of them are kept and the hard share is above the target.
        expect(r.easyKept).toHaveLength(easyAvailable);
        expect(hard / r.selected.length).toBeGreaterThanOrEqual(hardShare - 0.5 / Math.max(1, r.selected.length));
      }
      if (hardShare === 1) expect(r.easyKept).toEqual([]);

      for (const list of [r.selected, r.hard, r.easyKept, r.dropped]) {
        expect(ids(list)).toEqual([...ids(list)].sort((a, b) => a - b));
      }
      expect(selectByHardShare(p, hardShare, createRng(t))).toEqual(r);
    }
  });

  test('different seeds keep different easy items', () => {
    const p = pool(10, 100);
    const a = selectByHardShare(p, 0.5, createRng(1));
    const b = selectByHardShare(p, 0.5, createRng(2));
    expect(a.easyKept).toHaveLength(10);
    expect(ids(a.easyKept)).not.toEqual(ids(b.easyKept));
  });
});
