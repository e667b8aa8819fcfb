import { CopyRowBuffer, copyTextRow, type CopyValue } from '@tapir/db';

/** A small deterministic generator, so a failing case can be replayed. */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => (state = (state * 1103515245 + 12345) % 2 ** 31) % n;
}

const ALPHABET = ['a', 'Z', ' ', '\t', '\n', '\r', '\\', 'N', '🦛', 'é', '中', '"', ',', '0'];
const NUMBERS = [0, -0, 1, 7, 10, 99, 100, -1, -120, 4_294_967_296, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0.5, -2.25, 1e21, 1e-7];

function randomValue(next: (n: number) => number): CopyValue {
  const pick = next(5);
  if (pick === 0) return null;
  if (pick === 1) return NUMBERS[next(NUMBERS.length)]!;
  if (pick === 2) return next(1_000_000_000) - 500_000_000;
  return Array.from({ length: next(40) }, () => ALPHABET[next(ALPHABET.length)]).join('');
}

describe('CopyRowBuffer', () => {
  test('holds exactly the UTF-8 bytes of copyTextRow for every row (property over awkward values)', () => {
    const next = generator(11);
    // A tiny first buffer, so growing mid-row is exercised too.
    const buffer = new CopyRowBuffer(16);
    let expected = '';
    for (let i = 0; i < 3000; i++) {
      const values = Array.from({ length: 1 + next(12) }, () => randomValue(next));
      buffer.appendRow(values);
      expected += copyTextRow(values);
      if (i % 500 === 499) {
        expect(buffer.view().equals(Buffer.from(expected, 'utf8'))).toBe(true);
        expect(buffer.count).toBe(500);
        buffer.clear();
        expected = '';
      }
    }
    expect(buffer.byteLength).toBe(0);
  });

  test('clear keeps nothing of the previous batch', () => {
    const buffer = new CopyRowBuffer(64);
    buffer.appendRow(['a long first row that will be overwritten', 1, null]);
    buffer.clear();
    buffer.appendRow(['b', 2]);
    expect(buffer.view().toString('utf8')).toBe('b\t2\n');
    expect(buffer.count).toBe(1);
  });

  test('a value copyTextRow refuses is refused, and leaves no half row behind', () => {
    const buffer = new CopyRowBuffer(64);
    buffer.appendRow(['kept', 1]);
    expect(() => buffer.appendRow(['half', 'nul \u0000 here'])).toThrow(/U\+0000/);
    expect(() => buffer.appendRow(['half', Number.NaN])).toThrow(/finite/);
    expect(() => copyTextRow(['half', Number.NaN])).toThrow(/finite/);
    buffer.appendRow(['next', 2]);
    expect(buffer.view().toString('utf8')).toBe('kept\t1\nnext\t2\n');
    expect(buffer.count).toBe(2);
  });
});
