import { parse } from 'yaml';
import {
  axolotlConfig,
  cardSplits,
  datasetCard,
  datasetCardMetadata,
  llamaFactoryConfig,
  MUST_SET,
  parquetLayout,
  parquetRecord,
  scoreColumns,
  stageSplitName,
  type DatasetCardFacts,
  type ExportFormat,
  type TrainerHandoff,
} from '../src';
import { commentedYaml } from '../src/export/commented-yaml';
import { AXOLOTL_KEYS, HF_SPLIT_NAME, LLAMAFACTORY_KEYS } from './trainer-keys';

const FORMATS: ExportFormat[] = ['alpaca', 'sharegpt', 'openai'];

function handoff(over: Partial<TrainerHandoff> = {}): TrainerHandoff {
  return {
    exportDir: '/data/exports/my run: #1',
    format: 'alpaca',
    bare: false,
    studentModel: 'org/student: 7b # v2',
    campaignId: 'cabc',
    round: 2,
    stages: [1, 2, 3, 4].map((stage) => ({ stage, file: `stage-${stage}.jsonl`, rows: stage === 3 ? 0 : stage * 10, datasetName: `tapir_cabc_r2_stage${stage}` })),
    ...over,
  };
}

const allOf = (groups: Record<string, readonly string[]>, ...names: string[]): Set<string> => new Set(names.flatMap((n) => groups[n] ?? []));

describe('llamafactory.yaml', () => {
  const config = parse(llamaFactoryConfig(handoff())) as Record<string, unknown>;

  test('every key is one LLaMA-Factory defines', () => {
    const known = allOf(LLAMAFACTORY_KEYS, 'model', 'finetuning', 'data', 'training');
    expect(Object.keys(config).filter((k) => !known.has(k))).toEqual([]);
    expect(LLAMAFACTORY_KEYS.stages).toContain(config['stage']);
    expect(LLAMAFACTORY_KEYS.finetuningTypes).toContain(config['finetuning_type']);
    expect(LLAMAFACTORY_KEYS.mixStrategies).toContain(config['mix_strategy']);
  });

  test('names the stages with rows, in curriculum order, from the export directory, with every order-keeping key set', () => {
    expect(config['dataset']).toBe('tapir_cabc_r2_stage1,tapir_cabc_r2_stage2,tapir_cabc_r2_stage4');
    expect(config['dataset_dir']).toBe('/data/exports/my run: #1');
    expect(config).toMatchObject({ mix_strategy: 'concat', streaming: false, val_size: 0, packing: false, disable_shuffling: true, stage: 'sft', do_train: true });
  });

  test("the student's name is model_name_or_path, marked for the user to set, as is the template", () => {
    const text = llamaFactoryConfig(handoff());
    expect(config['model_name_or_path']).toBe('org/student: 7b # v2');
    const marked = text.split('\n').filter((line) => line.includes(`# ${MUST_SET}`)).map((line) => line.split(':')[0]);
    expect(marked).toEqual(['model_name_or_path', 'template']);
  });

  test('refuses an export without rows', () => {
    expect(() => llamaFactoryConfig(handoff({ stages: [{ stage: 1, file: 'stage-1.jsonl', rows: 0, datasetName: 'x' }] }))).toThrow('no rows');
  });
});

describe('axolotl.yaml', () => {
  test.each(FORMATS)('%s: every key is one axolotl defines, and the stages with rows are its datasets in order', (format) => {
    const config = parse(axolotlConfig(handoff({ format }))) as Record<string, unknown>;
    const known = allOf(AXOLOTL_KEYS, 'top');
    expect(Object.keys(config).filter((k) => !known.has(k))).toEqual([]);
    const datasets = config['datasets'] as Record<string, unknown>[];
    for (const d of datasets) expect(Object.keys(d).filter((k) => !(AXOLOTL_KEYS.dataset as readonly string[]).includes(k))).toEqual([]);
    expect(datasets.map((d) => d['path'])).toEqual([1, 2, 4].map((s) => `/data/exports/my run: #1/stage-${s}.jsonl`));
    expect(config).toMatchObject({ shuffle_merged_datasets: false, shuffle_before_merging_datasets: false, curriculum_sampling: true, sample_packing: false, val_set_size: 0, dataset_exact_deduplication: false });
    expect(config['base_model']).toBe('org/student: 7b # v2');
    if (format === 'alpaca') {
      expect(datasets.every((d) => d['type'] === 'alpaca' && d['ds_type'] === 'json')).toBe(true);
      expect(config['chat_template']).toBeUndefined();
    } else {
      expect(AXOLOTL_KEYS.chatTemplates).toContain(config['chat_template']);
      const [messages, role, content] = format === 'sharegpt' ? ['conversations', 'from', 'value'] : ['messages', 'role', 'content'];
      for (const d of datasets) expect(d).toMatchObject({ type: 'chat_template', ds_type: 'json', field_messages: messages, message_property_mappings: { role, content } });
    }
  });
});

describe('commented YAML', () => {
  test('a key given twice is refused, and only a scalar can be marked for the user', () => {
    expect(() => commentedYaml([], [{ title: 'a', entries: [{ key: 'k', value: 1 }] }, { title: 'b', entries: [{ key: 'k', value: 2 }] }])).toThrow("'k' appears twice");
    expect(() => commentedYaml([], [{ title: 'a', entries: [{ key: 'k', value: [1], mustSet: 'x' }] }])).toThrow('only a scalar');
  });

  test('notes and titles are comments: the parsed document holds the values alone', () => {
    const text = commentedYaml(['head'], [{ title: 'one', entries: [{ key: 'a', value: 'x: y # z', note: 'line 1\nline 2' }, { key: 'b', value: null, mustSet: 'fill me' }] }]);
    expect(parse(text)).toEqual({ a: 'x: y # z', b: null });
    expect(text).toContain('### one');
    expect(text).toContain('# line 2');
  });
});

const facts: DatasetCardFacts = {
  campaignId: 'cabc',
  campaignName: 'pipes | and `ticks`',
  round: 2,
  format: 'openai',
  bare: true,
  configHash: 'f'.repeat(64),
  seed: 7,
  models: { teacher: 'teacher-x', student: 'student-y', judge: 'judge-z' },
  difficultySignal: 'mfd',
  totalRows: 70,
  stages: [1, 2, 3, 4].map((stage) => ({
    stage,
    count: stage === 3 ? 0 : stage * 10,
    perCategory: (stage === 3 ? {} : { Math: stage * 5, 'Q|A': stage * 5 }) as Record<string, number>,
    difficulty: { mean: stage / 3, min: 0, max: stage },
    hardShareTarget: 0.5,
    exportedHardShare: stage === 3 ? null : 0.4,
    expandedRows: 1,
    refineFallbacks: 0,
  })),
  rounds: [
    { round: 1, studentModel: 'student-y', measured: 100, hardShareTarget: 0.5, exportedHardShare: 0.4, poolHardShare: 0.3, limitedBy: [] },
    { round: 2, studentModel: 'student-y2', measured: 90, hardShareTarget: 0.5, exportedHardShare: 0.45, poolHardShare: 0.2, limitedBy: ['Math: 3 hard rows short'] },
  ],
  truncated: { teacherAnswers: 2, refinements: 1, expansions: 0 },
  lineage: { file: 'lineage.jsonl', rows: 70, rowId: '<campaign>:r<round>:s<stage>:<item key>:<repeat index>' },
};

describe('dataset card', () => {
  const splits = cardSplits(facts.stages, (stage) => `stage-${stage}.jsonl`);
  const card = datasetCard(facts, splits);

  test('every stage with rows is one split, in order, read from its own file, and nothing else is data', () => {
    expect(splits.map((s) => [s.split, s.path])).toEqual([
      ['stage_1', 'stage-1.jsonl'],
      ['stage_2', 'stage-2.jsonl'],
      ['stage_4', 'stage-4.jsonl'],
    ]);
    const front = card.match(/^---\n([\s\S]*?)\n---\n/);
    expect(front).not.toBeNull();
    const meta = parse(front![1]!) as { configs: { config_name: string; data_files: { split: string; path: string }[] }[] };
    expect(meta).toEqual(JSON.parse(JSON.stringify(datasetCardMetadata(facts, splits))));
    expect(meta.configs).toHaveLength(1);
    expect(meta.configs[0]!.config_name).toBe('default');
    expect(meta.configs[0]!.data_files).toEqual(splits.map((s) => ({ split: s.split, path: s.path })));
    for (const f of meta.configs[0]!.data_files) expect(f.split).toMatch(HF_SPLIT_NAME);
  });

  test('split names are valid Hugging Face split names for any stage number', () => {
    for (const stage of [1, 9, 10, 123]) expect(stageSplitName(stage)).toMatch(HF_SPLIT_NAME);
  });

  test("the body shows the round's figures, and table cells cannot be broken by a category or name", () => {
    expect(card).toContain('| 3 | (empty, no split) | - | 0 |');
    expect(card).toContain('| Q\\|A | 5 | 10 | 0 | 20 | 35 | 0.5 |');
    expect(card).toContain('| 2 | student-y2 | 90 | 0.2 | 0.5 | 0.45 | Math: 3 hard rows short |');
    expect(card).toContain("# pipes | and 'ticks': curriculum of round 2");
    expect(card).toContain('only `messages`');
    expect(card).toContain('2 teacher answer(s)');
    for (const model of ['teacher-x', 'student-y', 'judge-z']) expect(card).toContain(model);
  });
});

describe('Parquet layout', () => {
  test.each([
    ['alpaca', false, ['id', 'instruction', 'input', 'output', 'category', 'mfd']],
    ['sharegpt', false, ['id', 'conversations', 'category', 'mfd']],
    ['openai', false, ['id', 'messages', 'category', 'mfd']],
    ['openai', true, ['messages']],
  ] as const)('%s (bare %s): the columns of its JSONL rows, and a schema whose groups add up', (format, bare, columns) => {
    const layout = parquetLayout({ format, bare, scores: ['mfd'] });
    expect(layout.columns).toEqual(columns);
    // Depth-first: each group's num_children elements follow it; the whole tree covers the schema exactly.
    let at = 0;
    const walk = (): void => {
      const element = layout.schema[at++]!;
      for (let i = 0; i < (element.num_children ?? 0); i++) walk();
    };
    walk();
    expect(at).toBe(layout.schema.length);
    expect(layout.schema[0]!.num_children).toBe(columns.length);
  });

  test('bare rows exist only in the openai format', () => {
    expect(() => parquetLayout({ format: 'alpaca', bare: true, scores: [] })).toThrow('only in the openai format');
  });

  test('a row gets null for a score it lacks, and a column the layout lacks is refused', () => {
    const layout = parquetLayout({ format: 'alpaca', bare: false, scores: scoreColumns('both') });
    const row = { id: 'a', instruction: 'i', input: '', output: 'o', category: 'Math', ifd: 0.5 };
    expect(parquetRecord(row, layout)).toEqual({ ...row, mfd: null });
    expect(() => parquetRecord({ ...row, extra: 1 }, layout)).toThrow("'extra'");
    const { output: _dropped, ...missing } = row;
    expect(() => parquetRecord(missing, layout)).toThrow("lacks its 'output'");
  });

  test('score columns follow the difficulty signal', () => {
    expect([scoreColumns('mfd'), scoreColumns('ifd'), scoreColumns('both')]).toEqual([['mfd'], ['ifd'], ['mfd', 'ifd']]);
  });
});
