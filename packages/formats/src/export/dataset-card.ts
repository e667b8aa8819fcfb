import { stringify } from 'yaml';
import type { ExportFormat } from './export-row';

/** A stage's figures as the manifest records them and the card shows them. */
export interface CardStage {
  stage: number;
  count: number;
  perCategory: Record<string, number>;
  /** The stage's ordering value (MFD, or IFD when it is the only signal) and its hard share. */
  difficulty: { mean: number | null; min: number | null; max: number | null };
  /** The round's target hard share, and the share of this stage's rows that are hard. */
  hardShareTarget: number | null;
  exportedHardShare: number | null;
  /** Rows written by the teacher in expansion (origin expanded). */
  expandedRows: number;
  /** Rows whose output is the teacher's first answer: the refinement failed for good, or its answer was cut off. */
  refineFallbacks: number;
}

/** One round of the campaign as the manifest records it and the card shows it: which student, and what it measured. */
export interface CardRound {
  round: number;
  studentModel: string;
  measured: number;
  /** Three different shares, each under its own name (issue 19): the round's target, the share
   * of its planned (exported) rows that are hard, and the share of its measured pool that is hard. */
  hardShareTarget: number | null;
  exportedHardShare: number | null;
  poolHardShare: number | null;
  /** What kept the round from its target size or hard share; empty when nothing did, and for
   * rounds planned before issue 19, which did not record it. */
  limitedBy: string[];
}

/** The figures of an exported round that its dataset card shows (a subset of the export manifest). */
export interface DatasetCardFacts {
  campaignId: string;
  campaignName: string;
  round: number;
  format: ExportFormat;
  bare: boolean;
  configHash: string;
  seed: number;
  models: { teacher: string; student: string; judge: string };
  difficultySignal: string;
  totalRows: number;
  stages: CardStage[];
  rounds: CardRound[];
  truncated: { teacherAnswers: number; refinements: number; expansions: number };
  lineage: { file: string; rows: number; rowId: string };
}

/** One split of the card's default config: a stage and the file that holds it. */
export interface CardSplit {
  stage: number;
  split: string;
  path: string;
}

export const DATASET_CARD_FILE = 'README.md';

/**
 * The split name of a stage. Hugging Face `datasets` accepts only word characters and dots in a
 * split name (`\w+(\.\w+)*`), so `stage-1` would be refused and `stage_1` is used.
 */
export function stageSplitName(stage: number): string {
  return `stage_${stage}`;
}

/**
 * The splits of the card: every stage with rows, in order, each from exactly one file, so that
 * `load_dataset(DIR)` yields one split per stage and reads neither manifest.json nor lineage.jsonl
 * (with `configs` in the card, only the files it lists are data). An empty stage has no split:
 * its file has no rows to infer a schema from.
 */
export function cardSplits(stages: readonly { stage: number; count: number }[], fileOf: (stage: number) => string): CardSplit[] {
  return stages.filter((s) => s.count > 0).map((s) => ({ stage: s.stage, split: stageSplitName(s.stage), path: fileOf(s.stage) }));
}

/** The card's YAML front matter as an object (Hugging Face dataset card metadata). */
export function datasetCardMetadata(facts: DatasetCardFacts, splits: readonly CardSplit[]): Record<string, unknown> {
  return {
    pretty_name: `tapir curriculum: ${facts.campaignName}, round ${facts.round}`,
    tags: ['tapir', 'curriculum-learning', 'distillation', 'synthetic'],
    task_categories: ['text-generation'],
    size_categories: [sizeCategory(facts.totalRows)],
    configs: [{ config_name: 'default', data_files: splits.map((s) => ({ split: s.split, path: s.path })) }],
  };
}

/** The dataset card: front matter whose splits are the stages, then the round's figures. */
export function datasetCard(facts: DatasetCardFacts, splits: readonly CardSplit[]): string {
  const front = stringify(datasetCardMetadata(facts, splits), { lineWidth: 0 });
  const splitOf = new Map(splits.map((s) => [s.stage, s]));
  const out: string[] = [`---`, front.trimEnd(), `---`, ''];
  out.push(`# ${escapeInline(facts.campaignName)}: curriculum of round ${facts.round}`, '');
  out.push(
    `Written by tapir from campaign \`${facts.campaignId}\` (config hash \`${facts.configHash.slice(0, 12)}\`, seed ${facts.seed}). ` +
      `${facts.totalRows} rows in ${splits.length} stage split(s), ordered easy to hard by ${facts.difficultySignal.toUpperCase()}: ` +
      'train on `stage_1` first and the last stage last, without shuffling across stages.',
    '',
  );
  out.push('## Loading', '', '```python', 'from datasets import load_dataset, concatenate_datasets', '', 'stages = load_dataset("path/to/this/folder")  # one split per stage');
  out.push(`curriculum = concatenate_datasets([stages[s] for s in ${JSON.stringify(splits.map((s) => s.split))}])  # in order; do not shuffle`, '```', '');
  out.push(
    `Rows are in the ${facts.format === 'openai' ? 'OpenAI chat' : facts.format === 'sharegpt' ? 'ShareGPT' : 'Alpaca'} format` +
      (facts.bare ? ' with only `messages`, as OpenAI fine-tuning expects (no id, category or scores).' : ', each with its `id`, `category` and difficulty score.') +
      ' `llamafactory.yaml` and `axolotl.yaml` train on the stages in this order; `dataset_info.json` describes them to LLaMA-Factory.',
    '',
  );
  out.push('## Stages', '', '| stage | split | file | rows | difficulty mean (min to max) | hard share target | hard share exported | expanded rows | refine fallbacks |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const s of facts.stages) {
    const split = splitOf.get(s.stage);
    out.push(
      `| ${s.stage} | ${split ? `\`${split.split}\`` : '(empty, no split)'} | ${split ? `\`${split.path}\`` : '-'} | ${s.count} | ${num(s.difficulty.mean)} (${num(s.difficulty.min)} to ${num(s.difficulty.max)}) | ${num(s.hardShareTarget)} | ${num(s.exportedHardShare)} | ${s.expandedRows} | ${s.refineFallbacks} |`,
    );
  }
  out.push('', '## Category mix', '');
  const categories = [...new Set(facts.stages.flatMap((s) => Object.keys(s.perCategory)))].sort();
  out.push(`| category | ${facts.stages.map((s) => `stage ${s.stage}`).join(' | ')} | total | share |`);
  out.push(`|---|${facts.stages.map(() => '---|').join('')}---|---|`);
  for (const c of categories) {
    const counts = facts.stages.map((s) => s.perCategory[c] ?? 0);
    const total = counts.reduce((a, b) => a + b, 0);
    out.push(`| ${escapeCell(c)} | ${counts.join(' | ')} | ${total} | ${facts.totalRows === 0 ? '-' : num(total / facts.totalRows)} |`);
  }
  out.push('', '## Rounds', '', '| round | student | measured | pool hard share | target hard share | exported hard share | limited by |', '|---|---|---|---|---|---|---|');
  for (const r of facts.rounds) {
    out.push(
      `| ${r.round} | ${escapeCell(r.studentModel)} | ${r.measured} | ${num(r.poolHardShare)} | ${num(r.hardShareTarget)} | ${num(r.exportedHardShare)} | ${r.limitedBy.length === 0 ? '-' : r.limitedBy.map(escapeCell).join('; ')} |`,
    );
  }
  out.push('', '## Models', '');
  out.push(`- teacher: \`${escapeInline(facts.models.teacher)}\``, `- student (round ${facts.round}): \`${escapeInline(facts.models.student)}\``, `- judge: \`${escapeInline(facts.models.judge)}\``);
  out.push('', '## Answers cut off', '');
  out.push(
    `Answers cut off at the token limit never became training rows: ${facts.truncated.teacherAnswers} teacher answer(s) (the item left every round), ` +
      `${facts.truncated.refinements} refinement(s) (the row kept the teacher's answer) and ${facts.truncated.expansions} new instruction(s) of this round were dropped.`,
  );
  out.push('', '## Lineage', '');
  out.push(
    `\`${facts.lineage.file}\` has one line per row (${facts.lineage.rows}), in the order of the stage files, with the row's \`id\` (\`${facts.lineage.rowId}\`): ` +
      'its source line or expansion, category and its source, the ledger calls of every answer and judgment, and its scores. ' +
      '`manifest.json` has every figure above and the sha256 of every file.',
    '',
  );
  return out.join('\n');
}

function sizeCategory(rows: number): string {
  const bands: [number, string][] = [
    [1_000, 'n<1K'],
    [10_000, '1K<n<10K'],
    [100_000, '10K<n<100K'],
    [1_000_000, '100K<n<1M'],
    [10_000_000, '1M<n<10M'],
  ];
  return bands.find(([limit]) => rows < limit)?.[1] ?? '10M<n<100M';
}

function num(value: number | null): string {
  return value === null ? '-' : String(Math.round(value * 1000) / 1000);
}

function escapeCell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|');
}

function escapeInline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/`/g, "'");
}
