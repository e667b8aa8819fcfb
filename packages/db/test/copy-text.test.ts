import { copyTextRow, copyTextValue } from '@tapir/db';

/** PostgreSQL's reading of one COPY text field, per the documented escapes: the inverse to check against. */
function readCopyField(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);
}

describe('COPY text encoding', () => {
  test('NULL, numbers and plain text', () => {
    expect(copyTextValue(null)).toBe('\\N');
    expect(copyTextValue(42)).toBe('42');
    expect(copyTextValue(-0.5)).toBe('-0.5');
    expect(copyTextValue('plain text, with "quotes" and ünïcode')).toBe('plain text, with "quotes" and ünïcode');
    expect(copyTextValue('')).toBe('');
  });

  test('backslash, tab, newline and carriage return are escaped, so the literal text \\N is not NULL', () => {
    expect(copyTextValue('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyTextValue('\\N')).toBe('\\\\N');
    expect(readCopyField(copyTextValue('\\N'))).toBe('\\N');
  });

  test('a row splits back into its values on tabs and round-trips (property over awkward strings)', () => {
    const alphabet = ['a', ' ', '\t', '\n', '\r', '\\', 'N', '🦛', 'é', '"', ','];
    let state = 7;
    const next = (n: number) => (state = (state * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 2000; i++) {
      const values = Array.from({ length: 1 + next(4) }, () =>
        next(6) === 0 ? null : Array.from({ length: next(12) }, () => alphabet[next(alphabet.length)]).join(''),
      );
      const row = copyTextRow(values);
      expect(row.endsWith('\n')).toBe(true);
      expect(row.slice(0, -1).includes('\n')).toBe(false);
      expect(row.slice(0, -1).split('\t').map(readCopyField)).toEqual(values);
    }
  });

  test('refuses what PostgreSQL cannot store or parse', () => {
    expect(() => copyTextValue('nul \u0000 here')).toThrow(/U\+0000/);
    expect(() => copyTextValue(Number.NaN)).toThrow(/finite/);
    expect(() => copyTextValue(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});
