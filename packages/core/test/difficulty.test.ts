import { classifyDifficulty, createRng, type DifficultyOptions } from '@tapir/core';

const opts = (over: Partial<DifficultyOptions> = {}): DifficultyOptions => ({
  signal: 'mfd',
  combine: 'and',
  mfdDelta: 1,
  ifdDelta: 0.75,
  ifdMax: 1,
  ...over,
});

describe('classifyDifficulty', () => {
  test('signal mfd: hard when mfd >= delta (inclusive); ifd is ignored', () => {
    expect(classifyDifficulty({ mfd: 1, ifd: null }, opts())).toEqual({ usable: true, hard: true, difficulty: 1 });
    expect(classifyDifficulty({ mfd: 0.9999, ifd: 5 }, opts())).toEqual({ usable: true, hard: false, difficulty: 0.9999 });
    expect(classifyDifficulty({ mfd: -3, ifd: null }, opts())).toEqual({ usable: true, hard: false, difficulty: -3 });
  });

  test('signal mfd needs an mfd', () => {
    expect(classifyDifficulty({ mfd: null, ifd: 0.9 }, opts())).toEqual({ usable: false, hard: false, difficulty: 0, reason: 'no mfd' });
    expect(classifyDifficulty({ mfd: NaN, ifd: null }, opts()).reason).toBe('mfd not finite');
  });

  test('signal ifd: hard when ifd >= delta; above max or non-finite is unusable', () => {
    const ifd = opts({ signal: 'ifd' });
    expect(classifyDifficulty({ mfd: null, ifd: 0.75 }, ifd)).toEqual({ usable: true, hard: true, difficulty: 0.75 });
    expect(classifyDifficulty({ mfd: 9, ifd: 0.5 }, ifd)).toEqual({ usable: true, hard: false, difficulty: 0.5 });
    // max itself is still usable.
    expect(classifyDifficulty({ mfd: null, ifd: 1 }, ifd)).toEqual({ usable: true, hard: true, difficulty: 1 });
    for (const bad of [1.0001, 3, Infinity, NaN]) {
      expect(classifyDifficulty({ mfd: 2, ifd: bad }, ifd)).toEqual({ usable: false, hard: false, difficulty: 0, reason: 'ifd above max' });
    }
    expect(classifyDifficulty({ mfd: 2, ifd: null }, ifd).reason).toBe('no ifd');
  });

  test('signal both: and / or of the two signals, difficulty stays the mfd', () => {
    const and = opts({ signal: 'both', combine: 'and' });
    const or = opts({ signal: 'both', combine: 'or' });
    const cases: [number, number, boolean, boolean][] = [
      // mfd, ifd, hard with and, hard with or
      [2, 0.9, true, true],
      [2, 0.5, false, true],
      [0, 0.9, false, true],
      [0, 0.5, false, false],
    ];
    for (const [mfd, ifd, hardAnd, hardOr] of cases) {
      expect(classifyDifficulty({ mfd, ifd }, and)).toEqual({ usable: true, hard: hardAnd, difficulty: mfd });
      expect(classifyDifficulty({ mfd, ifd }, or)).toEqual({ usable: true, hard: hardOr, difficulty: mfd });
    }
  });

  test('signal both needs both signals, and an ifd above max makes the item unusable', () => {
    const both = opts({ signal: 'both', combine: 'or' });
    expect(classifyDifficulty({ mfd: null, ifd: 0.9 }, both).reason).toBe('no mfd');
    expect(classifyDifficulty({ mfd: 3, ifd: null }, both).reason).toBe('no ifd');
    expect(classifyDifficulty({ mfd: 3, ifd: 1.2 }, both)).toEqual({ usable: false, hard: false, difficulty: 0, reason: 'ifd above max' });
  });

  test('validates the options', () => {
    expect(() => classifyDifficulty({ mfd: 1, ifd: 1 }, opts({ mfdDelta: NaN }))).toThrow(RangeError);
    expect(() => classifyDifficulty({ mfd: 1, ifd: 1 }, opts({ ifdMax: Infinity }))).toThrow(RangeError);
    expect(() => classifyDifficulty({ mfd: 1, ifd: 1 }, opts({ signal: 'judge' as never }))).toThrow(/unknown signal/);
    expect(() => classifyDifficulty({ mfd: 1, ifd: 1 }, opts({ combine: 'xor' as never }))).toThrow(/unknown combine/);
  });

  test('property: usable exactly when the needed signals exist; and implies or; each mode agrees with its threshold', () => {
    const gen = createRng('difficulty-props');
    const maybe = (make: () => number) => (gen.int(5) === 0 ? null : make());
    for (let t = 0; t < 1000; t++) {
      const mfd = maybe(() => Math.round(gen.next() * 36 - 18) / 2);
      const ifd = maybe(() => Math.round(gen.next() * 150) / 100);
      const base = { mfdDelta: Math.round(gen.next() * 4 - 1), ifdDelta: 0.5 + gen.int(5) / 10, ifdMax: 1 };
      const byMfd = classifyDifficulty({ mfd, ifd }, opts({ ...base, signal: 'mfd' }));
      const byIfd = classifyDifficulty({ mfd, ifd }, opts({ ...base, signal: 'ifd' }));
      const and = classifyDifficulty({ mfd, ifd }, opts({ ...base, signal: 'both', combine: 'and' }));
      const or = classifyDifficulty({ mfd, ifd }, opts({ ...base, signal: 'both', combine: 'or' }));

      expect(byMfd.usable).toBe(mfd !== null);
      expect(byIfd.usable).toBe(ifd !== null && ifd <= base.ifdMax);
      expect(and.usable).toBe(byMfd.usable && byIfd.usable);
      expect(or.usable).toBe(and.usable);
      for (const r of [byMfd, byIfd, and, or]) {
        expect(r.usable).toBe(r.reason === undefined);
        if (!r.usable) expect(r.hard).toBe(false);
      }
      if (and.usable) {
        expect(and.hard).toBe(byMfd.hard && byIfd.hard);
        expect(or.hard).toBe(byMfd.hard || byIfd.hard);
        expect(and.difficulty).toBe(mfd);
        expect(or.difficulty).toBe(mfd);
      }
      if (byMfd.usable) expect(byMfd.hard).toBe((mfd as number) >= base.mfdDelta);
      if (byIfd.usable) expect(byIfd.hard).toBe((ifd as number) >= base.ifdDelta);
    }
  });
});
