const ORDINARY = /[\p{L}\p{N}\p{M}\s]/u;

/** The share of characters (code points) that are neither letters, digits, marks nor whitespace. */
export function specialCharRatio(text: string): number {
  let total = 0;
  let special = 0;
  for (const ch of text) {
    total++;
    if (!ORDINARY.test(ch)) special++;
  }
  return total === 0 ? 0 : special / total;
}
