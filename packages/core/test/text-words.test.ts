import { RougeLIndex, countWords, createRng, filterExpandedInstruction, rougeL, rougeTokens, segmentWords } from '@tapir/core';

/** rouge_score's default tokenizer, written out independently: the ASCII contract. */
function rougeScoreTokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((t) => t !== '');
}

describe('segmentWords (Intl.Segmenter, word-like segments only)', () => {
  test('Chinese, Japanese, Korean, Thai, mixed text; punctuation and emoji are not words', () => {
    expect(segmentWords('请写一首关于秋天的诗')).toEqual(['请', '写', '一首', '关于', '秋天', '的', '诗']);
    expect(segmentWords('用Python写一个排序函数。')).toEqual(['用', 'Python', '写', '一个', '排序', '函数']);
    expect(segmentWords('ラーメンを食べたい').length).toBeGreaterThanOrEqual(3);
    expect(segmentWords('한국어로 짧은 시를 써 주세요')).toEqual(['한국어로', '짧은', '시를', '써', '주세요']);
    expect(segmentWords('เขียนบทกวีเกี่ยวกับฤดูใบไม้ร่วง').length).toBeGreaterThanOrEqual(5);
    expect(segmentWords('😀 👍🏽 !!')).toEqual([]);
  });
});

describe('countWords (Lion: str.split(); unspaced scripts segmented)', () => {
  test('English is counted exactly as Python str.split()', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  one  ')).toBe(1);
    expect(countWords('one two\tthree\nfour')).toBe(4);
    expect(countWords('well-known, fine.')).toBe(2);
    expect(countWords("don't e-mail 3.14 — ok")).toBe(5);
  });

  test('a Chinese instruction counts its words, not 1', () => {
    expect(countWords('请写一首关于秋天的诗')).toBe(7);
    expect(countWords('你好')).toBe(1);
    expect(countWords('解释一下光合作用的过程。')).toBeGreaterThanOrEqual(4);
  });

  test('Japanese and Thai are segmented; Korean is spaced, so split on spaces', () => {
    expect(countWords('東京で美味しいラーメンを食べたいです')).toBeGreaterThanOrEqual(6);
    expect(countWords('한국어로 짧은 시를 써 주세요')).toBe(5);
    expect(countWords('เขียนบทกวีเกี่ยวกับฤดูใบไม้ร่วง')).toBeGreaterThanOrEqual(5);
  });

  test('mixed CJK and Latin, and emoji', () => {
    expect(countWords('用Python写一个排序函数')).toBe(6);
    expect(countWords('Translate 我爱你 into English')).toBe(3 + segmentWords('我爱你').length);
    // An emoji between spaces is a whitespace-separated word, as str.split() says.
    expect(countWords('Write a poem 😀 now')).toBe(5);
  });
});

describe('rougeTokens', () => {
  test('ASCII text is tokenised exactly as rouge_score (property over random ASCII)', () => {
    const gen = createRng('rouge-ascii');
    const alphabet = "abcXYZ019 _-'.,!?\t\n/";
    for (let t = 0; t < 2000; t++) {
      const text = Array.from({ length: gen.int(40) }, () => alphabet[gen.int(alphabet.length)]).join('');
      expect(rougeTokens(text)).toEqual(rougeScoreTokenize(text));
    }
  });

  test('Han, kana and Hangul are one token per character; other scripts by word', () => {
    expect(rougeTokens('我喜欢苹果')).toEqual(['我', '喜', '欢', '苹', '果']);
    expect(rougeTokens('ラーメン')).toEqual(['ラ', 'ー', 'メ', 'ン']);
    expect(rougeTokens('안녕 세계')).toEqual(['안', '녕', '세', '계']);
    expect(rougeTokens('用Python写')).toEqual(['用', 'python', '写']);
    expect(rougeTokens('第3章')).toEqual(['第', '3', '章']);
    expect(rougeTokens('Привет, мир!')).toEqual(['привет', 'мир']);
    expect(rougeTokens("l'été")).toEqual(['l', 'été']);
    expect(rougeTokens('😀 hello 👍🏽')).toEqual(['hello']);
    // Full-width forms are the same characters (NFKC).
    expect(rougeTokens('ＡＢＣ１２３')).toEqual(['abc123']);
    expect(rougeTokens('เขียนบทกวี').join('')).toBe('เขียนบทกวี');
    expect(rougeTokens('เขียนบทกวี').length).toBeGreaterThan(1);
  });
});

describe('ROUGE-L and the expansion filter in every language', () => {
  test('identical CJK, Thai and mixed texts score 1; unrelated ones low', () => {
    for (const text of ['请写一首关于秋天的诗', '東京で美味しいラーメンを食べたい', '한국어로 짧은 시를 써 주세요', 'เขียนบทกวีเกี่ยวกับฤดูใบไม้ร่วง', '用Python写一个排序函数 😀']) {
      expect(rougeL(text, text)).toBe(1);
    }
    expect(rougeL('请写一首关于秋天的诗', '请写一首关于春天的诗')).toBeCloseTo(9 / 10, 12);
    expect(rougeL('请写一首关于秋天的诗', '解释量子计算机原理')).toBeLessThan(0.2);
  });

  test('a Chinese near-duplicate is rejected as too similar, a new Chinese instruction passes', () => {
    const index = new RougeLIndex(['请写一首关于秋天的诗', 'Write a short poem about the sea']);
    const opts = { minWords: 4, maxRougeL: 0.7 };
    expect(filterExpandedInstruction('请写一首关于春天的诗', index, opts)).toMatchObject({ ok: false, reason: 'too-similar' });
    expect(filterExpandedInstruction('解释一下光合作用的主要过程', index, opts)).toEqual({ ok: true });
    expect(filterExpandedInstruction('你好', index, opts)).toMatchObject({ ok: false, reason: 'too-short' });
    expect(filterExpandedInstruction('日本の首都について説明してください', index, opts)).toEqual({ ok: true });
    expect(filterExpandedInstruction('한국의 전통 음식을 소개해 주세요', index, opts)).toEqual({ ok: true });
  });

  test('the index agrees with rougeL on CJK texts (property)', () => {
    const gen = createRng('rouge-cjk-index');
    const vocabulary = ['秋天', '的', '诗', '写', '一首', 'ラーメン', '食べる', '안녕', '세계', 'poem', '😀', '第3章', 'ผม'];
    const texts = Array.from({ length: 60 }, () => Array.from({ length: 1 + gen.int(8) }, () => vocabulary[gen.int(vocabulary.length)]).join(gen.int(2) ? '' : ' '));
    const index = new RougeLIndex(texts);
    for (let t = 0; t < 200; t++) {
      const candidate = Array.from({ length: 1 + gen.int(8) }, () => vocabulary[gen.int(vocabulary.length)]).join('');
      const threshold = gen.int(10) / 10;
      const truth = Math.max(...texts.map((x) => rougeL(x, candidate)));
      expect(index.maxSimilarity(candidate, threshold).above).toBe(truth > threshold);
    }
  });
});
