import { createHash } from 'node:crypto';
import { createRng, instructionKey, normalizeText, type Rng } from '@tapir/core';

/** The definition, without the ASCII fast path: the fast path must agree with it everywhere. */
function referenceNormalize(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

const PIECES = ['Write', 'a', 'POEM', 'über', 'Ｆｕｌｌ', 'ﬁ', 'x²', '東京', 'é', 'e\u0301', '42', '!', '\u00a0', '\u3000', '\u2028'];
const SPACES = [' ', '  ', '\t', '\n', '\r\n', '\v', '\f', ''];
function randomText(gen: Rng): string {
  let out = gen.int(3) === 0 ? SPACES[gen.int(SPACES.length)]! : '';
  const words = gen.int(8);
  for (let i = 0; i < words; i++) out += PIECES[gen.int(PIECES.length)]! + SPACES[gen.int(SPACES.length)]!;
  return out;
}

describe('normalizeText', () => {
  test('folds case and every run of whitespace to one space, and trims', () => {
    expect(normalizeText('  Sort  THE list\tplease\n')).toBe('sort the list please');
    expect(normalizeText('a\r\n\r\nb')).toBe('a b');
    expect(normalizeText('already plain')).toBe('already plain');
    expect(normalizeText('')).toBe('');
    expect(normalizeText(' \t\n ')).toBe('');
  });

  test('applies NFKC to text outside ASCII (full-width letters, ligatures, non-breaking spaces)', () => {
    expect(normalizeText('Ｆｕｌｌ ｗｉｄｔｈ　text')).toBe('full width text');
    expect(normalizeText('ﬁle\u00a0name')).toBe('file name');
    expect(normalizeText('e\u0301')).toBe('\u00e9');
  });

  test('agrees with the plain definition on 5,000 random texts, ASCII and not', () => {
    const gen = createRng(11);
    for (let i = 0; i < 5000; i++) {
      const text = randomText(gen);
      expect(normalizeText(text)).toBe(referenceNormalize(text));
    }
  });
});

describe('instructionKey', () => {
  test('keeps the keys stored by earlier versions (sha256 of both normalised parts, 32 hex characters)', () => {
    expect(instructionKey('Write a poem about the sea.')).toBe('ba9faf08bb716dde5e93418a8c44f4fe');
    expect(instructionKey('  Sort  THE list\tplease\n', '[3, 1, 2]')).toBe('ba67d71d8c4bd379c41adcb33cc14358');
    expect(instructionKey('Ｆｕｌｌ ｗｉｄｔｈ　text', 'ﬁ ligature')).toBe('04e1950291798ee6a2d196aa0732a12f');
  });

  test('equals the createHash form on random texts', () => {
    const gen = createRng(12);
    for (let i = 0; i < 1000; i++) {
      const instruction = randomText(gen);
      const input = gen.int(2) ? randomText(gen) : '';
      const expected = createHash('sha256')
        .update(referenceNormalize(instruction) + '\u0000' + referenceNormalize(input))
        .digest('hex')
        .slice(0, 32);
      expect(instructionKey(instruction, input)).toBe(expected);
    }
  });

  test('the instruction/input boundary matters', () => {
    expect(instructionKey('ab', 'c')).not.toBe(instructionKey('a', 'bc'));
  });
});
