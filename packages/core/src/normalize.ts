import * as crypto from 'node:crypto';

/** Printable ASCII plus the ASCII whitespace characters: NFKC leaves such text unchanged. */
const PLAIN_ASCII = /^[\t-\r\x20-\x7e]*$/;
/** Whitespace that `\s+ -> ' '` and trim would change in ASCII text. */
const ASCII_WHITESPACE_TO_FOLD = /[\t-\r]| {2}|^ | $/;

/** Collapses whitespace and case so that trivially different copies of one instruction meet. */
export function normalizeText(text: string): string {
  // Nearly every instruction is plain ASCII: skipping NFKC and the whitespace pass for it took
  // three quarters of the normalisation time off a million-row import.
  if (PLAIN_ASCII.test(text)) {
    const folded = ASCII_WHITESPACE_TO_FOLD.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
    return folded.toLowerCase();
  }
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'hex') => string;
// crypto.hash (Node >= 20.12) is about three times faster than createHash for short inputs.
const oneShotHash = (crypto as unknown as { hash?: OneShotHash }).hash;
const sha256Hex: (data: string) => string = oneShotHash
  ? (data) => oneShotHash('sha256', data, 'hex')
  : (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * The identity of a pool item: instruction plus optional input, normalised. Two rows with the
 * same key are one item (imported once, the rest counted as duplicates); answer files are
 * joined to the pool by it.
 */
export function instructionKey(instruction: string, input = ''): string {
  const normalized = normalizeText(instruction) + '\u0000' + normalizeText(input);
  return sha256Hex(normalized).slice(0, 32);
}
