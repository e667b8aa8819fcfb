import { hashString } from './hashing';
import { STOPWORDS } from './text-features';
import { overlapTokens } from './text-words';

/**
 * The simulated embedding model: a signed feature hash of a text's words and word bigrams into a
 * fixed number of dimensions, L2-normalised. Texts that share most of their words in the same
 * order (a paraphrase by case, punctuation, an added or swapped word) land close together;
 * texts about other things share only function words, which weigh little, and stay far apart.
 * Deterministic per (model, text): the same model always returns the same vector, and another
 * model name spans another space, as real models do.
 */

export const DEFAULT_EMBEDDING_DIMENSIONS = 384;
export const MAX_EMBEDDING_DIMENSIONS = 4096;

const CONTENT_WEIGHT = 1;
/** Function words carry little of the meaning; full weight would make unrelated questions look alike. */
const STOPWORD_WEIGHT = 0.3;
/** Order matters, but less than the words themselves: a swapped pair must stay a near-copy. */
const BIGRAM_WEIGHT = 0.3;

/** Plural and possessive endings fold away, so "question" and "questions" are one feature. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith("'s")) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The unit vector of `text` under `model`, `dimensions` long. */
export function embedText(model: string, text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): Float32Array {
  const vector = new Float64Array(dimensions);
  const seed = hashString(model) % 2_147_483_647;
  const add = (feature: string, weight: number) => {
    const h = hashString(feature, seed);
    const sign = Math.floor(h / dimensions) % 2 === 0 ? 1 : -1;
    vector[h % dimensions]! += sign * weight;
  };
  const words = overlapTokens(text).map(stem);
  if (words.length === 0) add('\u0000empty', 1);
  words.forEach((word, i) => {
    add(`w:${word}`, STOPWORDS.has(word) ? STOPWORD_WEIGHT : CONTENT_WEIGHT);
    const next = words[i + 1];
    if (next !== undefined) add(`b:${word} ${next}`, BIGRAM_WEIGHT);
  });
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) out[i] = norm === 0 ? 0 : (vector[i] as number) / norm;
  return out;
}

/** Tokens the embeddings endpoint bills for a text: its words, at least one. */
export function embeddingTokens(text: string): number {
  return Math.max(1, overlapTokens(text).length);
}
