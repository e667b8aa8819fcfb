import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { ConfigIssue } from './config-error';
import { configNestingIssue } from './config-nesting';

/**
 * Nodes an alias may expand to, in all. Real configs use few or no aliases; a "billion laughs"
 * document of a few hundred bytes expands to billions of nodes.
 */
const MAX_ALIAS_COUNT = 100;

/** A parsed YAML (or JSON) source that can say on which line a field path lives. */
export interface ConfigSource {
  data: unknown;
  syntaxIssues: ConfigIssue[];
  /** Set when the text was not parsed at all (nesting no config needs), whatever its format. */
  refusal?: ConfigIssue;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** yaml's messages repeat the position and append a code excerpt; the issue line carries both already. */
function firstLineWithoutPosition(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

export function parseConfigSource(text: string): ConfigSource {
  const tooDeep = configNestingIssue(text);
  if (tooDeep) return { data: undefined, syntaxIssues: [tooDeep], refusal: tooDeep, lineOf: () => undefined };
  const lineCounter = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, { lineCounter, prettyErrors: true });
  const syntaxIssues: ConfigIssue[] = doc.errors.map((e) => {
    const issue: ConfigIssue = { path: '', message: `YAML syntax error: ${firstLineWithoutPosition(e.message)}` };
    const pos = e.linePos?.[0];
    if (pos) {
      issue.line = pos.line;
      issue.column = pos.col;
    }
    return issue;
  });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;

  // The line of the deepest node on the path that exists: for a missing field, its parent's line.
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    let node: unknown = doc.contents;
    let line = isMap(node) || isSeq(node) || isScalar(node) ? (node.range ? lineAt(node.range[0]) : undefined) : undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(segment));
        if (!pair) break;
        // The key's line, which is where "concurrency: eight" starts even for block values.
        const keyRange = isScalar(pair.key) ? pair.key.range : undefined;
        if (keyRange) line = lineAt(keyRange[0]);
        node = pair.value;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(segment)];
        if (item === undefined) break;
        if ((isMap(item) || isSeq(item) || isScalar(item)) && item.range) line = lineAt(item.range[0]);
        node = item;
      } else break;
    }
    return line;
  };

  let data: unknown;
  if (syntaxIssues.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // yaml throws a ReferenceError for an alias that expands too far (and for an undefined one).
      if (!(error instanceof ReferenceError)) throw error;
      syntaxIssues.push({ path: '', message: `YAML aliases refused: ${error.message} (at most ${MAX_ALIAS_COUNT} alias expansions)` });
    }
  }
  return { data, syntaxIssues, lineOf };
}
