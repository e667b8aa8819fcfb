/**
 * Joins Prometheus text blocks (one per BullMQ queue, each repeating the `# HELP`/`# TYPE` of the
 * same families) into one exposition where each family is declared once with all its samples,
 * as the text format requires: a scraper rejects a family declared twice.
 */
export function mergePrometheusText(blocks: readonly string[]): string {
  const families = new Map<string, { help?: string; type?: string; samples: string[] }>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { samples: [] }));
    return f;
  };
  for (const block of blocks) {
    for (const raw of block.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line);
      if (meta) {
        const f = family(meta[2]!);
        if (meta[1] === 'HELP') f.help ??= line;
        else f.type ??= line;
        continue;
      }
      if (line.startsWith('#')) continue;
      const name = /^[^{\s]+/.exec(line)![0];
      family(baseName(name, families)).samples.push(line);
    }
  }
  const out: string[] = [];
  for (const f of families.values()) {
    if (f.help) out.push(f.help);
    if (f.type) out.push(f.type);
    out.push(...f.samples);
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

/** A sample belongs to the declared family it names, or to one whose summary/histogram suffix it carries. */
function baseName(sample: string, families: Map<string, unknown>): string {
  if (families.has(sample)) return sample;
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (sample.endsWith(suffix) && families.has(sample.slice(0, -suffix.length))) return sample.slice(0, -suffix.length);
  }
  return sample;
}
