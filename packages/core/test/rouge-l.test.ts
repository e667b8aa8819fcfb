import { RougeLIndex, createRng, lcsLength, rougeL, rougeLFromLcs, rougeTokenize, type Rng } from '@tapir/core';

/** The textbook full-table LCS, to check the one-row version against. */
function referenceLcs<T>(a: readonly T[], b: readonly T[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i]![j] = a[i - 1] === b[j - 1] ? table[i - 1]![j - 1]! + 1 : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
    }
  }
  return table[a.length]![b.length]!;
}

const VOCABULARY = ['the', 'a', 'cat', 'dog', 'sat', 'on', 'mat', 'write', 'poem', 'about', 'sea', 'list', 'three', 'of', 'Code!', 'SORT'];
function randomText(gen: Rng, maxWords: number, vocabulary: readonly string[] = VOCABULARY): string {
  return Array.from({ length: gen.int(maxWords + 1) }, () => vocabulary[gen.int(vocabulary.length)]).join(gen.int(2) ? ' ' : ', ');
}

describe('rougeTokenize (rouge_score default tokenizer, no stemmer)', () => {
  test('lowercases, keeps [a-z0-9] runs, splits on everything else', () => {
    expect(rougeTokenize("Hello, World! It's 2024.")).toEqual(['hello', 'world', 'it', 's', '2024']);
    expect(rougeTokenize('  snake_case\tand-kebab\nLINES ')).toEqual(['snake', 'case', 'and', 'kebab', 'lines']);
    // Beyond ASCII, letters of every script are word characters (rouge_score would give caf, na, ve).
    expect(rougeTokenize('Café naïve 東京')).toEqual(['café', 'naïve', '東', '京']);
    expect(rougeTokenize('')).toEqual([]);
    expect(rougeTokenize('?!, ...')).toEqual([]);
    // No stemming.
    expect(rougeTokenize('running runs')).toEqual(['running', 'runs']);
  });
});

describe('lcsLength', () => {
  test('known values', () => {
    expect(lcsLength([...'ABCBDAB'], [...'BDCABA'])).toBe(4);
    expect(lcsLength([...'AGGTAB'], [...'GXTXAYB'])).toBe(4);
    expect(lcsLength([], [1, 2])).toBe(0);
    expect(lcsLength([1, 2, 3], [1, 2, 3])).toBe(3);
    expect(lcsLength([1, 2, 3], [4, 5])).toBe(0);
    expect(lcsLength(Uint32Array.from([1, 2, 3, 4]), Int32Array.from([2, 4, -1]))).toBe(2);
  });

  test('property: equals the full-table LCS, symmetric, bounded by the shorter length', () => {
    const gen = createRng('lcs-props');
    for (let t = 0; t < 500; t++) {
      const alphabet = 1 + gen.int(6);
      const a = Array.from({ length: gen.int(25) }, () => gen.int(alphabet));
      const b = Array.from({ length: gen.int(25) }, () => gen.int(alphabet));
      const lcs = lcsLength(a, b);
      expect(lcs).toBe(referenceLcs(a, b));
      expect(lcsLength(b, a)).toBe(lcs);
      expect(lcs).toBeLessThanOrEqual(Math.min(a.length, b.length));
      expect(lcsLength(a, a)).toBe(a.length);
    }
  });
});

describe('rougeL', () => {
  test('identical texts score 1, disjoint or empty texts 0', () => {
    expect(rougeL('Write a poem about the sea', 'write a POEM, about the sea!')).toBe(1);
    expect(rougeL('alpha beta', 'gamma delta')).toBe(0);
    expect(rougeL('', 'anything')).toBe(0);
    expect(rougeL('anything', '')).toBe(0);
    expect(rougeL('!!!', '???')).toBe(0);
  });

  test('hand-computed values', () => {
    // LCS "the cat on the mat" = 5; p = 5/5, r = 5/6, f = 10/11.
    expect(rougeL('the cat sat on the mat', 'the cat on the mat')).toBeCloseTo(10 / 11, 15);
    // a b c d vs b d a: LCS "b d" = 2; p = 2/3, r = 2/4, f = 4/7.
    expect(rougeL('A B C D', 'B D A')).toBeCloseTo(4 / 7, 15);
    // rouge_score README: target "The quick brown fox jumps over the lazy dog", prediction "The quick brown dog jumps on the log."
    // gives rougeL fmeasure 0.5882352941176471 (LCS 5 of 9 and 8 tokens).
    expect(rougeL('The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.')).toBe(0.5882352941176471);
  });

  test('rougeLFromLcs follows rouge_score: precision over the prediction, recall over the target', () => {
    expect(rougeLFromLcs(5, 9, 8)).toBe((2 * (5 / 8) * (5 / 9)) / (5 / 8 + 5 / 9));
    expect(rougeLFromLcs(0, 3, 4)).toBe(0);
    expect(rougeLFromLcs(0, 0, 4)).toBe(0);
  });

  test('property: symmetric, in [0, 1], 1 against itself when it has tokens', () => {
    const gen = createRng('rouge-props');
    for (let t = 0; t < 500; t++) {
      const a = randomText(gen, 12);
      const b = randomText(gen, 12);
      const ab = rougeL(a, b);
      expect(rougeL(b, a)).toBe(ab);
      expect(ab).toBeGreaterThanOrEqual(0);
      expect(ab).toBeLessThanOrEqual(1);
      expect(rougeL(a, a)).toBe(rougeTokenize(a).length > 0 ? 1 : 0);
      const ta = rougeTokenize(a);
      const tb = rougeTokenize(b);
      expect(ab).toBe(rougeLFromLcs(referenceLcs(ta, tb), ta.length, tb.length));
    }
  });
});

describe('RougeLIndex', () => {
  test('finds a near-duplicate and names it', () => {
    const index = new RougeLIndex(['Write a short poem about the sea.', 'List three prime numbers.', 'Sort this list of numbers.']);
    expect(index.size).toBe(3);
    const hit = index.maxSimilarity('Write a short poem about the ocean', 0.7);
    expect(hit).toEqual({ max: 6 / 7, above: true, text: 'Write a short poem about the sea.' });
    const miss = index.maxSimilarity('Explain how a rainbow forms', 0.7);
    expect(miss.above).toBe(false);
    expect(miss.text).toBeUndefined();
  });

  test('the threshold is strict: a score equal to it is not above', () => {
    const index = new RougeLIndex(['a b c d']);
    // LCS 2 of 4 and 4 tokens: f = 0.5. Its bound (overlap 2) cannot exceed 0.5, so the text is
    // not even compared and max reports only what was compared.
    expect(rougeL('a b c d', 'a b x y')).toBe(0.5);
    expect(index.maxSimilarity('a b x y', 0.5)).toEqual({ max: 0, above: false });
    expect(index.maxSimilarity('a b x y', 0.49)).toEqual({ max: 0.5, above: true, text: 'a b c d' });
  });

  test('add grows the index; empty texts and unknown tokens never match', () => {
    const index = new RougeLIndex();
    expect(index.size).toBe(0);
    expect(index.maxSimilarity('anything at all', 0)).toEqual({ max: 0, above: false });
    index.add('!!!');
    index.add('');
    expect(index.size).toBe(2);
    expect(index.maxSimilarity('zebra quokka', 0)).toEqual({ max: 0, above: false });
    index.add('zebra quokka');
    expect(index.maxSimilarity('Zebra, quokka!', 0.99)).toEqual({ max: 1, above: true, text: 'zebra quokka' });
    expect(index.maxSimilarity('', 0)).toEqual({ max: 0, above: false });
  });

  test('repeated tokens are bounded by the smaller count', () => {
    // Overlap of "a a a a" and "a b" is min(4, 1) = 1: f = 2 * 1 / (4 + 2) = 1/3, so at 0.34 the text is pruned.
    const index = new RougeLIndex(['a a a a']);
    expect(index.maxSimilarity('a b', 0.34)).toEqual({ max: 0, above: false });
    expect(index.maxSimilarity('a b', 0.33).above).toBe(true);
  });

  test('validates the threshold', () => {
    const index = new RougeLIndex(['a']);
    for (const bad of [-0.1, NaN, Infinity]) expect(() => index.maxSimilarity('a', bad)).toThrow(RangeError);
  });

  test('property: the pruned search agrees with brute force', () => {
    const gen = createRng('rouge-index-props');
    for (let t = 0; t < 150; t++) {
      const texts = Array.from({ length: gen.int(60) }, () => randomText(gen, 10));
      const index = new RougeLIndex();
      texts.forEach((x) => index.add(x));
      expect(index.size).toBe(texts.length);
      for (let q = 0; q < 10; q++) {
        const candidate = gen.int(4) === 0 && texts.length > 0 ? texts[gen.int(texts.length)]! : randomText(gen, 10);
        const threshold = gen.int(10) / 10;
        const brute = texts.reduce((m, x) => Math.max(m, rougeL(x, candidate)), 0);
        const r = index.maxSimilarity(candidate, threshold);
        expect(r.above).toBe(brute > threshold);
        if (r.above) {
          expect(texts).toContain(r.text);
          expect(rougeL(r.text!, candidate)).toBe(r.max);
          expect(r.max).toBeGreaterThan(threshold);
        } else {
          expect(r.text).toBeUndefined();
          expect(r.max).toBeLessThanOrEqual(brute);
          expect(brute).toBeLessThanOrEqual(threshold);
        }
      }
    }
  });

  test('a 50k-text pool answers queries (and agrees with brute force on one)', () => {
    const gen = createRng('rouge-index-50k');
    const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`).concat(['the', 'a', 'of', 'to', 'and']);
    const common = ['the', 'a', 'of', 'to', 'and'];
    const texts = Array.from({ length: 50_000 }, () => {
      const words = Array.from({ length: 5 + gen.int(20) }, () => (gen.int(3) === 0 ? common[gen.int(common.length)]! : vocabulary[gen.int(vocabulary.length)]!));
      return words.join(' ');
    });
    const index = new RougeLIndex(texts);
    expect(index.size).toBe(50_000);

    const duplicate = index.maxSimilarity(`${texts[12_345]}!`, 0.7);
    expect(duplicate).toMatchObject({ above: true, max: 1 });

    const fresh = 'the unusual of and a w1 w2 w3 to the';
    const result = index.maxSimilarity(fresh, 0.7);
    const brute = texts.reduce((m, x) => Math.max(m, rougeL(x, fresh)), 0);
    expect(result.above).toBe(brute > 0.7);
    for (let q = 0; q < 50; q++) index.maxSimilarity(randomText(gen, 15, vocabulary), 0.7);
  });
});
