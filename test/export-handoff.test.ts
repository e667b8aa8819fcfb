import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { readBareExportFile, readExportFile, type LineageRecord, type LlamaFactoryDataset } from '@tapir/formats';
import { exportCampaign, type ExportManifest } from '@tapir/pipeline';
import { parse } from 'yaml';
import { AXOLOTL_KEYS, HF_SPLIT_NAME, LLAMAFACTORY_KEYS, OPENAI_FINE_TUNING } from '../packages/formats/test/trainer-keys';
import { completeCampaign } from './support/complete-campaign';
import { readParquetRows } from './support/read-parquet';
import { runTapir } from './support/run-tapir';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const STAGES = 3;

interface CardMeta {
  configs: { config_name: string; data_files: { split: string; path: string }[] }[];
}

function cardFrontMatter(card: string): CardMeta {
  const front = /^---\n([\s\S]*?)\n---\n/.exec(card);
  if (!front) throw new Error('README.md has no YAML front matter');
  return parse(front[1]!) as CardMeta;
}

async function jsonl(path: string): Promise<Record<string, unknown>[]> {
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A Parquet row as its JSONL row writes it: a score the row does not have is left out, not null. */
function withoutNullScores(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([key, value]) => !((key === 'mfd' || key === 'ifd') && value === null)));
}

/**
 * One small campaign, exported in each format, read back from its files: the trainer configs name
 * the stage files in order with the keys that keep it (checked against the keys the trainers
 * define), the dataset card's splits are the stages, the Parquet copies hold the JSONL rows, and
 * bare OpenAI rows have only messages.
 */
describe('exports that trainers keep in order', () => {
  let env: TestEnv;
  let campaignId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    const dir = await mkdtemp(join(tmpdir(), 'tapir-handoff-'));
    const pool = join(dir, 'pool.jsonl');
    await writeFile(pool, (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(0, 18).join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl, `rebalance: { targetSize: 24, maxRepeats: 2 }\ncurriculum: { stages: ${STAGES} }`), 'handoff.yaml');
    campaignId = await completeCampaign(env, config, pool, () => env.startWorkers());
  });

  afterAll(async () => {
    await env?.close();
  });

  async function exportTo(format: 'alpaca' | 'sharegpt' | 'openai', opts: { bare?: boolean; parquet?: boolean; dir?: string } = {}) {
    const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), `tapir-handoff-${format}-`)));
    const { manifest } = await exportCampaign(env.pipeline.services.db, { campaignId, outDir: dir, format, bare: opts.bare ?? false, parquet: opts.parquet ?? false });
    return { dir, manifest };
  }

  async function expectManifestDescribesEveryFile(dir: string, manifest: ExportManifest): Promise<void> {
    const names = (await readdir(dir)).filter((n) => n !== 'manifest.json').sort();
    expect(Object.keys(manifest.files).sort()).toEqual(names);
    for (const name of names) {
      const bytes = await readFile(join(dir, name));
      expect({ name, ...manifest.files[name] }).toEqual({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  }

  test('llamafactory.yaml trains on the stages in order from this folder, with LLaMA-Factory keys only', async () => {
    const { dir, manifest } = await exportTo('alpaca');
    expect(manifest.stages.every((s) => s.count > 0)).toBe(true);
    const config = parse(await readFile(join(dir, 'llamafactory.yaml'), 'utf8')) as Record<string, unknown>;
    const known = new Set<string>([...LLAMAFACTORY_KEYS.model, ...LLAMAFACTORY_KEYS.finetuning, ...LLAMAFACTORY_KEYS.data, ...LLAMAFACTORY_KEYS.training]);
    expect(Object.keys(config).filter((k) => !known.has(k))).toEqual([]);
    expect(config).toMatchObject({ dataset_dir: dir, mix_strategy: 'concat', streaming: false, val_size: 0, packing: false, disable_shuffling: true, model_name_or_path: manifest.models.student });
    // LLaMA-Factory resolves each dataset name through <dataset_dir>/dataset_info.json.
    const info = JSON.parse(await readFile(join(String(config['dataset_dir']), 'dataset_info.json'), 'utf8')) as Record<string, LlamaFactoryDataset>;
    const files = String(config['dataset']).split(',').map((name) => info[name]?.file_name);
    expect(files).toEqual(manifest.stages.map((s) => s.file));
    expect(manifest.handoff).toMatchObject({ llamaFactory: 'llamafactory.yaml', axolotl: 'axolotl.yaml', datasetCard: 'README.md', cardDataFiles: 'jsonl' });
    await expectManifestDescribesEveryFile(dir, manifest);
  });

  test.each(['alpaca', 'sharegpt', 'openai'] as const)('%s: axolotl.yaml reads the stage files in order with the dataset type of the format', async (format) => {
    const { dir, manifest } = await exportTo(format);
    const config = parse(await readFile(join(dir, 'axolotl.yaml'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(config).filter((k) => !(AXOLOTL_KEYS.top as readonly string[]).includes(k))).toEqual([]);
    expect(config).toMatchObject({ shuffle_merged_datasets: false, curriculum_sampling: true, sample_packing: false, base_model: manifest.models.student });
    const datasets = config['datasets'] as { path: string; type: string; field_messages?: string }[];
    expect(datasets.map((d) => d.path)).toEqual(manifest.stages.map((s) => join(dir, s.file)));
    const firstRow = (await jsonl(datasets[0]!.path))[0]!;
    if (format === 'alpaca') expect(datasets.every((d) => d.type === 'alpaca')).toBe(true);
    else expect(datasets.every((d) => d.type === 'chat_template' && d.field_messages! in firstRow)).toBe(true);
  });

  test('--parquet: each stage as Parquet holds its JSONL rows in order; the dataset card reads them, one split per stage', async () => {
    for (const format of ['alpaca', 'sharegpt'] as const) {
      const { dir, manifest } = await exportTo(format, { parquet: true });
      expect(manifest.stages.map((s) => s.parquetFile)).toEqual(manifest.stages.map((s) => `stage-${s.stage}.parquet`));
      const parquet = await readParquetRows(manifest.stages.map((s) => join(dir, s.parquetFile!)));
      for (const [i, stage] of manifest.stages.entries()) {
        const rows = parquet[i]!.map(withoutNullScores);
        expect({ format, stage: stage.stage, rows }).toEqual({ format, stage: stage.stage, rows: await jsonl(join(dir, stage.file)) });
      }
      const meta = cardFrontMatter(await readFile(join(dir, 'README.md'), 'utf8'));
      expect(meta.configs.map((c) => c.config_name)).toEqual(['default']);
      expect(meta.configs[0]!.data_files).toEqual(manifest.stages.map((s) => ({ split: `stage_${s.stage}`, path: s.parquetFile })));
      expect(manifest.handoff.cardDataFiles).toBe('parquet');
      await expectManifestDescribesEveryFile(dir, manifest);
    }
  });

  test('the dataset card maps each stage file to its own split, in order, and no other file', async () => {
    const { dir, manifest } = await exportTo('sharegpt');
    const card = await readFile(join(dir, 'README.md'), 'utf8');
    const files = cardFrontMatter(card).configs.flatMap((c) => c.data_files);
    expect(files.map((f) => f.path)).toEqual(manifest.stages.map((s) => s.file));
    expect(new Set(files.map((f) => f.split)).size).toBe(files.length);
    for (const f of files) expect(f.split).toMatch(HF_SPLIT_NAME);
    const dataFiles = new Set(files.map((f) => f.path));
    for (const other of ['manifest.json', 'lineage.jsonl', 'dataset_info.json', 'llamafactory.yaml', 'axolotl.yaml', 'README.md']) expect(dataFiles.has(other)).toBe(false);
    // The round's figures, from the manifest.
    for (const s of manifest.stages) expect(card).toContain(`| ${s.stage} | \`stage_${s.stage}\` | \`${s.file}\` | ${s.count} |`);
    for (const model of Object.values(manifest.models)) expect(card).toContain(model);
    expect(card).toContain(`one line per row (${manifest.lineage.rows})`);
  });

  test('--bare: OpenAI rows with only messages, the same turns in the same order as the full rows; lineage keeps their ids', async () => {
    const full = await exportTo('openai');
    const dir = await mkdtemp(join(tmpdir(), 'tapir-handoff-bare-'));
    const cli = await runTapir(['export', campaignId, '--out', dir, '--format', 'openai', '--bare', '--parquet'], env.childEnv);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ExportManifest;
    expect(manifest.bare).toBe(true);
    const lineage = (await jsonl(join(dir, 'lineage.jsonl'))) as unknown as LineageRecord[];
    const parquet = await readParquetRows(manifest.stages.map((s) => join(dir, s.parquetFile!)));
    let at = 0;
    for (const [i, stage] of manifest.stages.entries()) {
      for (const raw of await jsonl(join(dir, stage.file))) {
        expect(Object.keys(raw)).toEqual(['messages']);
        expect(Object.keys(raw).every((k) => (OPENAI_FINE_TUNING.lineKeys as readonly string[]).includes(k))).toBe(true);
        for (const message of raw['messages'] as Record<string, unknown>[]) {
          expect(Object.keys(message).sort()).toEqual(['content', 'role']);
          expect(OPENAI_FINE_TUNING.roles).toContain(message['role']);
        }
      }
      const bare = await readBareExportFile(join(dir, stage.file));
      const rows = await readExportFile(join(full.dir, stage.file), 'openai');
      expect(bare).toEqual(rows.map((r) => ({ instruction: r.instruction, output: r.output })));
      for (const row of rows) expect(lineage[at++]!.id).toBe(row.id);
      expect(parquet[i]).toEqual(await jsonl(join(dir, stage.file)));
    }
    expect(at).toBe(lineage.length);
    await expectManifestDescribesEveryFile(dir, manifest);
  });

  test('--bare without --format openai is refused with exit 2 before anything is written', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'tapir-handoff-refused-')), 'out');
    const cli = await runTapir(['export', campaignId, '--out', dir, '--bare'], env.childEnv);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('--bare writes OpenAI rows with only messages; it needs --format openai, not alpaca');
    await expect(readdir(dir)).rejects.toThrow('ENOENT');
  });

  test('exporting again without --parquet removes the Parquet copies, so the card and the manifest describe what is there', async () => {
    const { dir } = await exportTo('alpaca', { parquet: true });
    const { manifest } = await exportTo('alpaca', { dir });
    expect((await readdir(dir)).filter((n) => n.endsWith('.parquet'))).toEqual([]);
    expect(manifest.stages.every((s) => s.parquetFile === null)).toBe(true);
    const files = cardFrontMatter(await readFile(join(dir, 'README.md'), 'utf8')).configs[0]!.data_files;
    expect(files.map((f) => f.path)).toEqual(manifest.stages.map((s) => s.file));
    await expectManifestDescribesEveryFile(dir, manifest);
  });
});
