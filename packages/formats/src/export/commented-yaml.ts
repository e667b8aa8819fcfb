import { Document, isMap, isScalar } from 'yaml';

/** One key of a config file, with what a reader must know about it. */
export interface YamlEntry {
  key: string;
  value: unknown;
  /** Shown on the line(s) above the key: why it has this value. */
  note?: string;
  /** The user must change this value before training; said inline so that it cannot be missed. */
  mustSet?: string;
}

export interface YamlSection {
  title: string;
  entries: YamlEntry[];
}

/** Marks every value a user must edit, so one search finds them all. */
export const MUST_SET = 'SET:';

/**
 * A YAML file for a person to read and edit: a header, sections separated by a blank line and a
 * title, a note above a key and a SET mark after a value the user must change. Built with the
 * `yaml` package's document model so that every value is quoted correctly whatever it holds.
 */
export function commentedYaml(header: readonly string[], sections: readonly YamlSection[]): string {
  const entries = sections.flatMap((s) => s.entries);
  const keys = new Set<string>();
  for (const { key } of entries) {
    if (keys.has(key)) throw new Error(`commentedYaml: key '${key}' appears twice`);
    keys.add(key);
  }
  const doc = new Document(Object.fromEntries(entries.map((e) => [e.key, e.value])));
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  if (!isMap(doc.contents)) throw new Error('commentedYaml: expected a map');
  const pairs = doc.contents.items;
  let at = 0;
  sections.forEach((section, sectionIndex) => {
    section.entries.forEach((entry, i) => {
      const pair = pairs[at++]!;
      if (!isScalar(pair.key)) throw new Error(`commentedYaml: key '${entry.key}' is not a scalar`);
      // "### title", as LLaMA-Factory's and axolotl's examples head their sections.
      const above = [...(i === 0 ? [`## ${section.title}`] : []), ...(entry.note ? entry.note.split('\n').map((line) => ` ${line}`) : [])];
      if (above.length > 0) pair.key.commentBefore = above.join('\n');
      // The header comment already ends in a blank line.
      if (i === 0 && sectionIndex > 0) pair.key.spaceBefore = true;
      if (entry.mustSet) {
        if (!isScalar(pair.value)) throw new Error(`commentedYaml: only a scalar can be marked ${MUST_SET} ('${entry.key}')`);
        pair.value.comment = ` ${MUST_SET} ${entry.mustSet}`;
      }
    });
  });
  return doc.toString({ lineWidth: 0 });
}
