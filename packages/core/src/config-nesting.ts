import type { ConfigIssue } from './config-error';

/**
 * Deepest nesting a config may have. A real config is 4 levels deep (rounds.hardShare[i],
 * refine.prompts.<category>); the YAML parser recurses per level, so 100,000 levels would cost
 * seconds, hundreds of MB and a stack overflow before it could say anything useful.
 */
export const MAX_CONFIG_DEPTH = 64;

/**
 * Finds the first line where the config nests deeper than `limit`, counting block indentation
 * and flow brackets ([ and { outside quotes and comments) together, in one pass over the text
 * without parsing it. Approximate by design (a '#' inside a block scalar counts as a comment);
 * it only has to catch nesting no config needs, before the recursive parser sees it.
 */
export function configNestingIssue(text: string, limit = MAX_CONFIG_DEPTH): ConfigIssue | undefined {
  const indents: number[] = [];
  let flow = 0;
  let line = 1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let i = lineStart;
    while (i < lineEnd && (text[i] === ' ' || text[i] === '-')) i++;
    const blank = i === lineEnd || text[i] === '#' || text[i] === '\r';
    if (!blank && flow === 0) {
      const indent = i - lineStart;
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    let quote = '';
    for (; i < lineEnd; i++) {
      const c = text[i]!;
      if (quote !== '') {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '#') break;
      else if (c === '[' || c === '{') flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      if (indents.length + flow > limit) {
        return { path: '', line, column: i - lineStart + 1, message: `nests more than ${limit} levels deep; a campaign config needs a handful` };
      }
    }
    if (indents.length + flow > limit) {
      return { path: '', line, message: `nests more than ${limit} levels deep; a campaign config needs a handful` };
    }
    lineStart = lineEnd + 1;
    line++;
  }
  return undefined;
}
