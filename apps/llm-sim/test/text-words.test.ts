import { rougeL } from '../src/rouge-l';
import { wordCount } from '../src/text-features';
import { countWords, overlapTokens } from '../src/text-words';
import { tokenizeWords } from '../src/word-tokenizer';

const SAMPLES = [
  '请写一首关于秋天的诗',
  '東京で美味しいラーメンを食べたいです',
  '한국어로 짧은 시를 써 주세요',
  '用Python写一个排序函数 😀',
  'เขียนบทกวีเกี่ยวกับฤดูใบไม้ร่วง',
  'Write a poem about the sea, then 翻译成中文.',
];

describe("the simulator's words in every script", () => {
  test('ROUGE-L of a CJK, Thai or mixed text with itself is 1; a one-character change is not', () => {
    for (const text of SAMPLES) expect(rougeL(text, text)).toBe(1);
    expect(rougeL('请写一首关于秋天的诗', '请写一首关于春天的诗')).toBeCloseTo(0.9, 12);
    expect(rougeL('Write a poem about the sea', 'write a POEM, about the sea!')).toBe(1);
  });

  test('word counts segment scripts without spaces', () => {
    expect(wordCount('请写一首关于秋天的诗')).toBe(7);
    expect(countWords('한국어로 짧은 시를 써 주세요')).toBe(5);
    expect(wordCount('one two  three')).toBe(3);
    expect(overlapTokens('我爱你 hello')).toEqual(['我', '爱', '你', 'hello']);
  });

  test('the completions tokenizer gives a CJK character a token and still rebuilds the exact text', () => {
    for (const text of [...SAMPLES, ' 前面有空格\n换行 ', '']) expect(tokenizeWords(text).join('')).toBe(text);
    expect(tokenizeWords('我爱你')).toEqual(['我', '爱', '你']);
    expect(tokenizeWords('hello 世界!')).toEqual(['hello', ' 世', '界', '!']);
    expect(tokenizeWords('ラーメン')).toHaveLength(4);
    expect(tokenizeWords('Hello world\n')).toEqual(['Hello', ' world', '\n']);
  });
});
