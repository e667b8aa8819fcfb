import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chooseSplitShards, PoolFileError, readSource, resolveSourceFiles, type SourceEvent } from '@tapir/formats';
import { jsonl, useTempDir } from './helpers';
import { writeParquet } from './parquet-fixture';

const tmp = useTempDir();
beforeAll(() => Promise.all([import('hyparquet'), import('hyparquet-writer')]), 120_000);

describe('chooseSplitShards (pure)', () => {
  test('train shards by file name, in shard order; metadata and other splits left out', () => {
    const files = ['README.md', 'data/test-00000-of-00001.parquet', 'data/train-00002-of-00003.parquet', 'data/train-00000-of-00003.parquet', 'data/train-00001-of-00003.parquet', 'dataset_infos.json'];
    expect(chooseSplitShards(files)).toEqual({ split: 'train', files: ['data/train-00000-of-00003.parquet', 'data/train-00001-of-00003.parquet', 'data/train-00002-of-00003.parquet'] });
    expect(chooseSplitShards(files, 'test')).toEqual({ split: 'test', files: ['data/test-00000-of-00001.parquet'] });
  });

  test('split folders, unpadded shard numbers in natural order', () => {
    const files = ['data/train/part-10.jsonl', 'data/train/part-2.jsonl', 'data/validation/part-1.jsonl'];
    expect(chooseSplitShards(files)).toEqual({ split: 'train', files: ['data/train/part-2.jsonl', 'data/train/part-10.jsonl'] });
    expect(chooseSplitShards(files, 'validation')).toEqual({ split: 'validation', files: ['data/validation/part-1.jsonl'] });
  });

  test('a split name the user gives is recognised even if not a usual one', () => {
    expect(chooseSplitShards(['data/sft-00000.parquet', 'data/rm-00000.parquet'], 'sft')).toEqual({ split: 'sft', files: ['data/sft-00000.parquet'] });
  });

  test('files naming no split are read whole when no split is asked for', () => {
    expect(chooseSplitShards(['data/part-0.parquet', 'data/part-1.parquet'])).toEqual({ split: undefined, files: ['data/part-0.parquet', 'data/part-1.parquet'] });
  });

  test('a missing split names the ones found; no data files says what is read', () => {
    const missing = chooseSplitShards(['test.jsonl', 'validation.jsonl']);
    expect(missing).toEqual({ problem: "has no 'train' split; found 'test' (1 file(s)), 'validation' (1 file(s)); name one with split: in the source entry" });
    expect(chooseSplitShards(['data/x.arrow', 'state.json'])).toEqual({ problem: expect.stringMatching(/has no data files .*save_to_disk/) });
  });

  test('property: the chosen files are a sorted subset of the shard files, all of the asked split', () => {
    const names = ['train', 'test', 'validation', 'other'];
    for (let seed = 1; seed < 200; seed++) {
      const files = Array.from({ length: 1 + (seed % 9) }, (_, i) => `data/${names[(seed * (i + 3)) % 4]}-${String(i).padStart(5, '0')}.parquet`);
      const choice = chooseSplitShards(files);
      if ('problem' in choice) continue;
      expect(choice.files.every((f) => files.includes(f))).toBe(true);
      expect([...choice.files].sort()).toEqual(choice.files);
      if (choice.split === 'train') expect(choice.files).toEqual(files.filter((f) => f.startsWith('data/train-')).sort());
    }
  });
});

describe('readSource on a dataset folder', () => {
  test('reads the train shards in order, each event naming its file and shard', async () => {
    const root = tmp.path('hf');
    const shard = (name: string) => {
      const path = `${root}/${name}`;
      mkdirSync(dirname(path), { recursive: true });
      return path;
    };
    await writeParquet(shard('data/train-00000-of-00002.parquet'), { prompt: ['a1', 'a2', 'a3'] }, 2);
    await writeParquet(shard('data/train-00001-of-00002.parquet'), { prompt: ['b1', ''] }, 2);
    await writeParquet(shard('data/test-00000-of-00001.parquet'), { prompt: ['t1'] }, 2);
    tmp.file('hf/README.md', '# card');
    const files = await resolveSourceFiles(root);
    expect(files.files.map((f) => f.slice(root.length + 1))).toEqual(['data/train-00000-of-00002.parquet', 'data/train-00001-of-00002.parquet']);
    const events: SourceEvent[] = [];
    for await (const event of readSource(files, { columns: { instruction: 'prompt' } })) events.push(event);
    expect(events.map((e) => [e.shard, e.line, e.kind, e.file.slice(root.length + 1)])).toEqual([
      [0, 1, 'record', 'data/train-00000-of-00002.parquet'],
      [0, 2, 'record', 'data/train-00000-of-00002.parquet'],
      [0, 3, 'record', 'data/train-00000-of-00002.parquet'],
      [1, 1, 'record', 'data/train-00001-of-00002.parquet'],
      [1, 2, 'error', 'data/train-00001-of-00002.parquet'],
    ]);
  });

  test('a JSONL folder with a named split; a single file has no shard', async () => {
    tmp.file('jl-train.jsonl', jsonl({ instruction: 'x' }));
    mkdirSync(tmp.path('jl/data/dev'), { recursive: true });
    tmp.file('jl/data/dev/0.jsonl', jsonl({ instruction: 'd' }));
    const dev = await resolveSourceFiles(tmp.path('jl'), 'dev');
    expect(dev).toEqual({ files: [tmp.path('jl/data/dev/0.jsonl')], sharded: true, split: 'dev' });
    const single = await resolveSourceFiles(tmp.path('jl-train.jsonl'));
    const events: SourceEvent[] = [];
    for await (const event of readSource(single)) events.push(event);
    expect(events).toEqual([{ kind: 'record', line: 1, record: { instruction: 'x', input: '' }, file: tmp.path('jl-train.jsonl'), shard: null }]);
  });

  test('errors name the folder: missing split, split on a file, missing path', async () => {
    mkdirSync(tmp.path('only-test'), { recursive: true });
    tmp.file('only-test/test.jsonl', jsonl({ instruction: 'x' }));
    await expect(resolveSourceFiles(tmp.path('only-test'))).rejects.toThrow(/only-test: dataset folder has no 'train' split; found 'test'/);
    await expect(resolveSourceFiles(tmp.path('jl-train.jsonl'), 'train')).rejects.toThrow(/this is a file, not a dataset folder/);
    await expect(resolveSourceFiles(tmp.path('nowhere'))).rejects.toBeInstanceOf(PoolFileError);
  });
});
