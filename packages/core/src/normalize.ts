import { createHash } from 'node:crypto';

/** Collapses whitespace and case so that trivially different copies of one instruction meet. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * The identity of a pool item: instruction plus optional input, normalised. Two rows with the
 * same key are one item (imported once, the rest counted as duplicates); answer files are
 * joined to the pool by it.
 */
export function instructionKey(instruction: string, input = ''): string {
  const normalized = normalizeText(instruction) + '\u0000' + normalizeText(input);
  return createHash('sha256').update(normalized).digest('hex').slice(0, 32);
}
