import { RougeLIndex, countWords, createRng, filterExpandedInstruction, rougeL } from '@tapir/core';

const POOL = ['Write a short poem about the sea', 'List three prime numbers greater than ten', 'Sort this list of numbers'];
const opts = { minWords: 4, maxRougeL: 0.7 };

describe('countWords', () => {
  test('whitespace-separated, like Python str.split()', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  one  ')).toBe(1);
    expect(countWords('one two\tthree\nfour')).toBe(4);
    expect(countWords('well-known, fine.')).toBe(2);
  });
});

describe('filterExpandedInstruction', () => {
  const index = new RougeLIndex(POOL);

  test('a new, long enough instruction passes', () => {
    expect(filterExpandedInstruction('Explain how rainbows form after rain.', index, opts)).toEqual({ ok: true });
  });

  test('fewer than minWords words is too short (Lion drops 3 words or fewer)', () => {
    expect(filterExpandedInstruction('Sort these numbers', index, opts)).toEqual({
      ok: false,
      reason: 'too-short',
      detail: '3 words, fewer than 4',
    });
    expect(filterExpandedInstruction('Hi', index, opts)).toEqual({ ok: false, reason: 'too-short', detail: '1 word, fewer than 4' });
    expect(filterExpandedInstruction('Sort these four numbers', index, opts).ok).toBe(true);
    expect(filterExpandedInstruction('Hi', index, { ...opts, minWords: 1 }).ok).toBe(true);
  });

  test('any mention of "instruction" is rejected, in any case', () => {
    for (const text of ['Here is a new instruction: write a poem', 'Follow the INSTRUCTIONS below carefully please', 'Reinstructions are weird words']) {
      const r = filterExpandedInstruction(text, index, opts);
      expect(r).toMatchObject({ ok: false, reason: 'mentions-instruction' });
    }
    expect(filterExpandedInstruction('Follow the INSTRUCTIONS below carefully', index, opts)).toEqual({
      ok: false,
      reason: 'mentions-instruction',
      detail: 'mentions "INSTRUCTION"',
    });
  });

  test('too similar to a pool instruction, with the similarity to 3 decimals', () => {
    // 6 of 7 tokens in order: f = 6/7 = 0.857.
    const r = filterExpandedInstruction('Write a short poem about the ocean', index, opts);
    expect(r).toEqual({
      ok: false,
      reason: 'too-similar',
      detail: 'ROUGE-L 0.857 > 0.7 against "Write a short poem about the sea"',
    });
    // At a looser threshold the same text passes.
    expect(filterExpandedInstruction('Write a short poem about the ocean', index, { ...opts, maxRougeL: 0.9 })).toEqual({ ok: true });
  });

  test('checks run in order: too-short before mentions-instruction before too-similar', () => {
    expect(filterExpandedInstruction('instruction', index, opts)).toMatchObject({ reason: 'too-short' });
    const similarAndMentions = 'Write a short instruction poem about the sea';
    expect(rougeL(similarAndMentions, POOL[0]!)).toBeGreaterThan(0.7);
    expect(filterExpandedInstruction(similarAndMentions, index, opts)).toMatchObject({ reason: 'mentions-instruction' });
  });

  test('a long pool text is shortened in the detail', () => {
    const long = `Describe ${'very '.repeat(30)}carefully the process`;
    const r = filterExpandedInstruction(long, new RougeLIndex([long]), opts);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.detail).toMatch(/^ROUGE-L 1\.000 > 0\.7 against "Describe very .*\.\.\."$/);
      expect(r.detail.length).toBeLessThan(100);
    }
  });

  test('property: ok exactly when every check passes', () => {
    const gen = createRng('expansion-filter');
    const words = ['write', 'a', 'poem', 'about', 'the', 'sea', 'list', 'numbers', 'instruction', 'sort', 'prime', 'short'];
    for (let t = 0; t < 300; t++) {
      const text = Array.from({ length: gen.int(9) }, () => words[gen.int(words.length)]).join(' ');
      const maxRougeL = (1 + gen.int(10)) / 10;
      const minWords = 1 + gen.int(5);
      const r = filterExpandedInstruction(text, index, { minWords, maxRougeL });
      const short = countWords(text) < minWords;
      const mentions = /instruction/i.test(text);
      const similar = POOL.some((p) => rougeL(p, text) > maxRougeL);
      expect(r.ok).toBe(!short && !mentions && !similar);
      if (!r.ok) expect(r.reason).toBe(short ? 'too-short' : mentions ? 'mentions-instruction' : 'too-similar');
    }
  });
});
