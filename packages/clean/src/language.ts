import { detect } from 'tinyld';

/**
 * The language of a text as an ISO 639-1 code, by tinyld (n-gram profiles, pure JS, CommonJS),
 * or '' when it cannot tell. Callers skip short texts: on a handful of words any detector guesses.
 */
export function detectLanguage(text: string): string {
  return detect(text);
}
