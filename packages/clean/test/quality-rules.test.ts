import { charRepetitionRatio, FlaggedWords, isEmptyAnswer, specialCharRatio, truncationSign, wordRepetitionRatio, cleanTokens, detectLanguage } from '../src';

describe('repetition', () => {
  test('characters: a repeated run scores high, ordinary prose low, short text 0', () => {
    expect(charRepetitionRatio('ha'.repeat(60), 10)).toBeGreaterThan(0.5);
    expect(charRepetitionRatio('Explain why the sky is blue during the day and red at sunset.', 10)).toBeLessThan(0.2);
    expect(charRepetitionRatio('short', 10)).toBe(0);
  });
  test('words: a looping sentence scores high, prose 0', () => {
    const loop = cleanTokens('buy now buy now buy now buy now buy now buy now buy now buy now');
    expect(wordRepetitionRatio(loop, 5)).toBeGreaterThan(0.9);
    expect(wordRepetitionRatio(cleanTokens('Summarize the following article in three sentences for a busy reader.'), 5)).toBe(0);
    expect(wordRepetitionRatio(['a', 'b'], 5)).toBe(0);
  });
  test('CJK repetition counts characters', () => {
    expect(charRepetitionRatio('哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈', 10)).toBeGreaterThan(0.5);
  });
});

describe('special characters', () => {
  test('symbols over all characters; letters of any script and spaces are ordinary', () => {
    expect(specialCharRatio('@@@ ### $$$ %%% ^^^')).toBeGreaterThan(0.7);
    expect(specialCharRatio('请写一首关于秋天的诗')).toBe(0);
    expect(specialCharRatio('Solve for x: 3x + 7 = 22.')).toBeLessThan(0.25);
    expect(specialCharRatio('')).toBe(0);
  });
});

describe('flagged words', () => {
  const list = new FlaggedWords(['# comment', 'badword', 'two words', '']);
  test('counts words and phrases case-blind, names the first', () => {
    expect(list.size).toBe(2);
    const r = list.ratio(cleanTokens('This BADWORD has two words in it'));
    expect(r.ratio).toBeCloseTo(3 / 7);
    expect(r.first).toBe('badword');
    expect(list.ratio(cleanTokens('nothing here')).ratio).toBe(0);
  });
});

describe('imported answers', () => {
  test('blank is empty', () => {
    expect(isEmptyAnswer('  \n ')).toBe(true);
    expect(isEmptyAnswer('x')).toBe(false);
  });
  test('cut-off signs: open code fence, trailing comma, dangling function word', () => {
    expect(truncationSign('Here:\n```python\nprint(1)\n')).toMatch(/code block/);
    expect(truncationSign('The three colours are red, green,')).toMatch(/,/);
    expect(truncationSign('The main reason is the')).toMatch(/"the"/);
  });
  test('finished answers pass, code and lists included', () => {
    for (const a of ['x = 5.', 'SELECT 1;', 'main().catch(console.error);', '```js\nf()\n```', '- one\n- two', 'Paris', '42', 'It depends on the']) {
      // the last one is the only cut one
      if (a === 'It depends on the') expect(truncationSign(a)).not.toBeNull();
      else expect(truncationSign(a)).toBeNull();
    }
  });
});

describe('language id', () => {
  test('tells English, French and Chinese apart on sentences', () => {
    expect(detectLanguage('Please explain how photosynthesis works in green plants and why it matters.')).toBe('en');
    expect(detectLanguage("Expliquez comment fonctionne la photosynthèse chez les plantes vertes et pourquoi c'est important.")).toBe('fr');
    expect(detectLanguage('请解释绿色植物的光合作用是如何进行的，以及它为什么重要。')).toBe('zh');
  });
});
