/**
 * An imported answer that teaches nothing: blank, or cut off mid-way. Cut-off is judged from the
 * text alone (an imported answer has no finish reason), by signs no finished answer shows: a code
 * fence opened and never closed, or an ending on a comma, colon, opening bracket or a word that
 * cannot end an English sentence ("the", "and", "of", ...). An answer that simply stops without a
 * full stop is not called cut: lists, code and short answers often do.
 */

const DANGLING_WORDS = new Set(['the', 'a', 'an', 'and', 'or', 'but', 'of', 'to', 'with', 'for', 'in', 'on', 'at', 'by', 'from', 'is', 'are', 'was', 'were', 'that', 'which', 'because', 'as', 'into', 'than']);
const DANGLING_END = /[,:([{]$/;

export function isEmptyAnswer(answer: string): boolean {
  return answer.trim() === '';
}

/** A reason the answer looks cut off, or null. */
export function truncationSign(answer: string): string | null {
  const text = answer.trimEnd();
  if (text === '') return null;
  const fences = text.match(/^\s*```/gm)?.length ?? 0;
  if (fences % 2 === 1) return 'a code block is opened and never closed';
  if (DANGLING_END.test(text)) return `it ends on "${text.slice(-1)}"`;
  const lastWord = /([A-Za-z]+)$/.exec(text)?.[1];
  if (lastWord !== undefined && DANGLING_WORDS.has(lastWord.toLowerCase()) && !/[.!?"')\]]$/.test(text)) return `it ends on the word "${lastWord}"`;
  return null;
}
