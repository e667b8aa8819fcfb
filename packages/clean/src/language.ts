/**
 * The language of a text as an ISO 639-1 code, by tinyld (n-gram profiles, pure JS, CommonJS),
 * or '' when it cannot tell. Callers skip short texts: on a handful of words any detector guesses.
 * Loaded on first use: its profiles take about a second to load, wasted when no language is set.
 */
let detect: ((text: string) => string) | undefined;

export function detectLanguage(text: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  detect ??= (require('tinyld') as typeof import('tinyld')).detect;
  return detect(text);
}
