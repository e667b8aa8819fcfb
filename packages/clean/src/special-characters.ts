const ORDINARY = /[\p{L}\p{N}\p{M}\s]/u;

/**
 * The share of characters (code points) that are neither letters, digits, marks nor whitespace.
 * ASCII characters (nearly all) are classed by code, as the Unicode classes class them; a regex
 * test per character was a twentieth of a row's analysis.
 */
export function specialCharRatio(text: string): number {
  let total = 0;
  let special = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    total++;
    if (c < 0x80) {
      const ordinary = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x20 || (c >= 0x09 && c <= 0x0d);
      if (!ordinary) special++;
      continue;
    }
    // A surrogate pair is one code point.
    const codePoint = text.codePointAt(i)!;
    if (codePoint > 0xffff) i++;
    if (!ORDINARY.test(String.fromCodePoint(codePoint))) special++;
  }
  return total === 0 ? 0 : special / total;
}
