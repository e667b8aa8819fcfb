/**
 * Picking a split's shard files out of a Hugging Face dataset folder as downloaded
 * (`huggingface-cli download` or `snapshot_download`): `data/train-00000-of-00003.parquet`,
 * `data/train/*.parquet`, `train.jsonl`, `en/train-*.parquet`. Pure: the caller lists the files.
 */

/** Split names recognised without being asked for; any name given in `split:` is recognised too. */
export const KNOWN_SPLITS = ['train', 'test', 'validation', 'valid', 'dev', 'eval'] as const;
export const DEFAULT_SPLIT = 'train';

/** Shard file endings read in a dataset folder, longest first. */
export const SHARD_EXTENSIONS = ['.jsonl.gz', '.json.gz', '.csv.gz', '.tsv.gz', '.parquet', '.jsonl', '.json', '.csv', '.tsv'] as const;

/** Metadata the HF tooling writes beside the data; JSON, but not rows. */
const METADATA_FILES = new Set(['dataset_info.json', 'dataset_infos.json', 'dataset_dict.json', 'state.json']);

export function isShardFile(relativePath: string): boolean {
  const name = relativePath.split('/').pop()!.toLowerCase();
  if (METADATA_FILES.has(name)) return false;
  return SHARD_EXTENSIONS.some((ext) => name.endsWith(ext));
}

/**
 * The split a shard belongs to: a folder named as a split (`data/train/x.parquet`), else the
 * file name's first token before `-`, `_` or `.` (`train-00000-of-00003.parquet`, `test.jsonl`).
 */
export function splitOfShard(relativePath: string, wanted?: string): string | undefined {
  const known = new Set<string>([...KNOWN_SPLITS, ...(wanted ? [wanted.toLowerCase()] : [])]);
  const parts = relativePath.toLowerCase().split('/');
  const name = parts.pop()!;
  for (const dir of parts) if (known.has(dir)) return dir;
  const token = /^[^-_.]+/.exec(name)?.[0];
  return token !== undefined && known.has(token) ? token : undefined;
}

export type SplitChoice = { split: string | undefined; files: string[] } | { problem: string };

/**
 * The shard files of the split, in name order (zero-padded shard numbers sort correctly, and
 * natural order handles the unpadded ones). With no split named, `train` is taken; a folder whose
 * files name no split at all is read whole.
 */
export function chooseSplitShards(relativePaths: readonly string[], split?: string): SplitChoice {
  const shards = relativePaths.filter(isShardFile).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (shards.length === 0) {
    return { problem: `has no data files (${SHARD_EXTENSIONS.join(', ')}); a folder saved with datasets' save_to_disk (.arrow) must be exported to Parquet or JSONL first` };
  }
  const wanted = (split ?? DEFAULT_SPLIT).toLowerCase();
  const bySplit = new Map<string, string[]>();
  const unsplit: string[] = [];
  for (const file of shards) {
    const of = splitOfShard(file, wanted);
    if (of === undefined) unsplit.push(file);
    else bySplit.set(of, [...(bySplit.get(of) ?? []), file]);
  }
  const files = bySplit.get(wanted);
  if (files) return { split: wanted, files };
  if (split === undefined && bySplit.size === 0) return { split: undefined, files: unsplit };
  const found = [...bySplit.keys()].map((s) => `'${s}' (${bySplit.get(s)!.length} file(s))`).join(', ');
  return {
    problem: `has no '${wanted}' split${found ? `; found ${found}` : ''}${split === undefined ? "; name one with split: in the source entry" : ''}`,
  };
}
