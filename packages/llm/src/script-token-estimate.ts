/**
 * Tokens a text costs, estimated from its scripts when the model's own tokenizer is not at hand
 * (Anthropic, Gemini, open-weight models behind vLLM). Leans high on purpose: it sizes budget
 * reservations and the too_long check, where undercounting lets a request through that costs
 * more than allowed. Against OpenAI's cl100k_base and o200k_base it stays above the true count
 * for English, Chinese, Japanese, Korean, Russian, Hindi, code and emoji (script-token-estimate.test.ts).
 *
 * - ASCII words: a token per 4 characters of each run, at least one (English averages ~4.5).
 * - Digits: a token per 3 (tiktoken splits numbers into groups of three).
 * - Other alphabets (Cyrillic, Greek, accented Latin): a token per 2 characters of a run.
 * - CJK ideographs, kana, hangul and their punctuation: 1.5 tokens each. Tokenizers give them ~1
 *   each, rare characters 2 or 3; the old chars/4 rule gave them a quarter.
 * - Other 3-byte characters (Indic, Thai, symbols): 2 each, since byte-level fallback is common.
 * - Characters outside the BMP (emoji): 3 each.
 * - ASCII punctuation: 1 each; a newline run: 1; a single space: 0 (it joins the next word).
 */
export function scriptAwareTokenEstimate(text: string): number {
  let tokens = 0;
  let cjkHalves = 0;
  // The current run: ASCII letters, digits, or a word with other alphabetic letters.
  let asciiWord = 0;
  let digits = 0;
  let otherWord = 0;
  const endRun = () => {
    tokens += Math.ceil(asciiWord / 4) + Math.ceil(digits / 3) + Math.ceil(otherWord / 2);
    asciiWord = digits = otherWord = 0;
  };
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isAsciiLetter(code) && digits === 0) {
      if (otherWord > 0) otherWord++;
      else asciiWord++;
      i++;
    } else if (isDigit(code) && asciiWord === 0 && otherWord === 0) {
      digits++;
      i++;
    } else if (code >= 0x80 && code < 0x800) {
      // A 2-byte letter turns the word it is in into an "other alphabet" word.
      if (digits > 0) endRun();
      otherWord += asciiWord + 1;
      asciiWord = 0;
      i++;
    } else {
      endRun();
      i = nextToken(text, i, code, (n) => (tokens += n), (halves) => (cjkHalves += halves));
    }
  }
  endRun();
  return tokens + Math.ceil(cjkHalves / 2);
}

/** Counts what starts at `i` outside a word run and returns where the next character starts. */
function nextToken(text: string, i: number, code: number, add: (tokens: number) => void, addCjkHalves: (halves: number) => void): number {
  if (isAsciiLetter(code) || isDigit(code)) return i; // starts a new run
  if (code === 0x20 || code === 0x09) {
    let end = i + 1;
    while (end < text.length && (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09)) end++;
    // A single space joins the next word; indentation costs about a token per four.
    if (end - i > 1) add(Math.ceil((end - i) / 4));
    return end;
  }
  if (code === 0x0a || code === 0x0d) {
    let end = i + 1;
    while (end < text.length && (text.charCodeAt(end) === 0x0a || text.charCodeAt(end) === 0x0d)) end++;
    add(1);
    return end;
  }
  if (code < 0x80) {
    add(1);
    return i + 1;
  }
  if (code >= 0xd800 && code <= 0xdbff) {
    add(3);
    return i + 2; // with its low surrogate
  }
  if (isCjk(code)) {
    addCjkHalves(3);
    return i + 1;
  }
  add(2);
  return i + 1;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x2e80 && code <= 0x9fff) || // radicals, CJK punctuation, kana, CJK ideographs
    (code >= 0xac00 && code <= 0xd7af) || // hangul syllables
    (code >= 0x1100 && code <= 0x11ff) || // hangul jamo
    (code >= 0xf900 && code <= 0xfaff) || // compatibility ideographs
    (code >= 0xff00 && code <= 0xffef) // full-width forms
  );
}
