import { basename } from 'node:path';

/** A source name from a file or folder name: `alpaca_data.jsonl.gz` -> `alpaca_data`. */
export function sourceNameFromFile(file: string): string {
  const name = basename(file.replace(/[\\/]+$/, '')).replace(/(\.(jsonl|json|ndjson|csv|tsv|tab|parquet))?(\.gz)?$/i, '');
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return clean.length > 0 ? clean : 'pool';
}

/** Names for several --data files: from the file names, made unique with -2, -3... */
export function uniqueSourceNames(files: readonly string[]): string[] {
  const used = new Set<string>();
  return files.map((file) => {
    const base = sourceNameFromFile(file);
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}-${k}`;
    used.add(name.toLowerCase());
    return name;
  });
}
