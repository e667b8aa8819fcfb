import { rougeTokens } from '@tapir/core';
import { cleanTokens } from '../src/clean-tokens';
import { hashString, hashStringTwice } from '../src/hash32';
import { HashLists } from '../src/hash-lists';
import { charRepetitionRatio } from '../src/repetition';
import { specialCharRatio } from '../src/special-characters';
import { shingleHashes } from '../src/shingles';

// The fast paths must give the values the plain definitions give: MinHash band keys, exact keys
// and repetition scores decide verdicts, and a changed value would change which rows are dropped.

function prng(seed: number) {
  let x = seed >>> 0;
  return (n: number) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return Math.floor((x / 2 ** 32) * n);
  };
}

const ALPHABET = ['a', 'b', 'é', '字', '𝒳', ' ', 'z', '9'];

function randomText(pick: (n: number) => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[pick(ALPHABET.length)];
  return text;
}

describe('hashes computed without building strings', () => {
  test('shingle hashes are hashString of the space-joined tokens, sorted and distinct', () => {
    const pick = prng(7);
    for (let trial = 0; trial < 200; trial++) {
      const tokens = Array.from({ length: pick(12) }, () => randomText(pick, 1 + pick(5)).replace(/ /g, ''));
      const size = 1 + pick(4);
      const width = Math.min(size, tokens.length);
      const expected = new Set<number>();
      if (tokens.length > 0) for (let i = 0; i + width <= tokens.length; i++) expected.add(hashString(tokens.slice(i, i + width).join(' ')));
      expect([...shingleHashes(tokens, size)]).toEqual([...expected].sort((a, b) => a - b));
    }
  });

  test('hashStringTwice is two hashString calls', () => {
    const pick = prng(11);
    for (let trial = 0; trial < 200; trial++) {
      const text = randomText(pick, pick(40));
      expect(hashStringTwice(text, 0x243f6a88, 0x85a308d3)).toEqual([hashString(text, 0x243f6a88), hashString(text, 0x85a308d3)]);
    }
  });

  test('character repetition is the same whether or not the text holds characters outside the BMP', () => {
    // 'ab' and the astral '𝒳' stand in for each other: the same n-gram structure, so the same ratio.
    const pick = prng(13);
    for (let trial = 0; trial < 200; trial++) {
      const chars = Array.from({ length: pick(60) }, () => ['a', 'b', 'c', 'q'][pick(4)]!);
      const plain = chars.join('');
      const astral = chars.map((c) => (c === 'q' ? '𝒳' : c)).join('');
      for (const n of [2, 3, 10]) expect(charRepetitionRatio(astral, n)).toBe(charRepetitionRatio(plain, n));
    }
  });
});

describe('hash lists', () => {
  test('every key finds its values in order, absent keys find nothing', () => {
    const pick = prng(17);
    const lists = new Map<number, number[]>();
    for (let i = 0; i < 500; i++) {
      const key = (Math.imul(pick(1 << 30), 7) + pick(4)) >>> 0;
      lists.set(key, [...(lists.get(key) ?? []), i]);
    }
    const table = new HashLists(lists);
    expect(table.size).toBe(lists.size);
    for (const [key, values] of lists) {
      const slot = table.find(key);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect([...table.values.subarray(table.start(slot), table.end(slot))]).toEqual(values);
    }
    let absent = 0;
    for (let k = 0; k < 200; k++) if (!lists.has(k)) expect(table.find(k)).toBe(-1), absent++;
    expect(absent).toBeGreaterThan(0);
    expect(new HashLists(new Map()).find(42)).toBe(-1);
  });
});

describe('cleaning tokens', () => {
  test('on ASCII text they are rougeTokens exactly', () => {
    const pick = prng(19);
    const ascii = 'aAzZ09/:@[`{ \t\n.,!?-_\'"()[]{}#@\x00\x7f';
    for (let trial = 0; trial < 500; trial++) {
      let text = '';
      for (let i = 0, n = pick(50); i < n; i++) text += ascii[pick(ascii.length)];
      expect(cleanTokens(text)).toEqual(rougeTokens(text));
    }
    expect(cleanTokens('Café 字 X')).toEqual(rougeTokens('Café 字 X'));
  });
});

describe('special characters', () => {
  test('the ratio is the per-code-point Unicode class test, on ASCII, accents, CJK, symbols and characters outside the BMP', () => {
    const ordinary = /[\p{L}\p{N}\p{M}\s]/u;
    const plain = (text: string) => {
      const chars = [...text];
      return chars.length === 0 ? 0 : chars.filter((ch) => !ordinary.test(ch)).length / chars.length;
    };
    const pool = [...'aZ09 \t\n\r\v\f!@#$%^&*()_+-=[]{};:\'",.<>/?\\|`~\u00a0é字𝒳😀\u0301\u2003—•'];
    const pick = prng(31);
    for (let trial = 0; trial < 2000; trial++) {
      let text = '';
      for (let i = pick(40); i > 0; i--) text += pool[pick(pool.length)];
      expect(specialCharRatio(text)).toBe(plain(text));
    }
    for (let c = 0; c < 0x80; c++) expect(specialCharRatio(String.fromCharCode(c))).toBe(plain(String.fromCharCode(c)));
  });
});
