import { join } from 'node:path';
import { commentedYaml } from './commented-yaml';
import type { ExportFormat } from './export-row';
import { CHECKED_AGAINST, runName, trainableStages, type TrainerHandoff } from './trainer-handoff';

export const AXOLOTL_CONFIG_FILE = 'axolotl.yaml';

/** One entry of axolotl's `datasets` list (utils/schemas/datasets.py, SFTDataset): the keys tapir sets. */
export interface AxolotlDataset {
  path: string;
  ds_type: 'json';
  type: 'alpaca' | 'chat_template';
  field_messages?: string;
  message_property_mappings?: { role: string; content: string };
}

/**
 * The prompt strategy that reads each export format. Alpaca rows are axolotl's `alpaca` type;
 * chat rows go through `chat_template`, whose default role map already takes ShareGPT's
 * human/gpt (prompt_strategies/chat_template.py), so ShareGPT needs only its field names.
 */
export function axolotlDatasetType(format: ExportFormat): Omit<AxolotlDataset, 'path' | 'ds_type'> {
  switch (format) {
    case 'alpaca':
      return { type: 'alpaca' };
    case 'sharegpt':
      return { type: 'chat_template', field_messages: 'conversations', message_property_mappings: { role: 'from', content: 'value' } };
    case 'openai':
      return { type: 'chat_template', field_messages: 'messages', message_property_mappings: { role: 'role', content: 'content' } };
  }
}

/**
 * An axolotl SFT config that trains on the stages in curriculum order, in one run.
 *
 * Order is kept by these keys, each from axolotl's source (CHECKED_AGAINST):
 * - `shuffle_merged_datasets: false` (default true): merge_datasets() (utils/data/shared.py)
 *   concatenates `datasets` in order and then shuffles the whole unless told not to;
 *   `shuffle_before_merging_datasets` (default false) would shuffle inside each stage.
 * - `curriculum_sampling: true`: the trainer's _get_train_sampler() (core/trainers/base.py) uses
 *   a SequentialSampler; without it, the transformers Trainer's RandomSampler.
 * - `sample_packing: false`: the multipack sampler bins rows by length; packing in order needs
 *   `sample_packing_sequentially: true` together with curriculum_sampling.
 * - `val_set_size: 0` and `dataset_exact_deduplication: false`: the split is not random in this
 *   version (shuffle=False) but takes the last rows, the hardest; deduplication after tokenizing
 *   would drop the curriculum's deliberate repeats.
 */
export function axolotlConfig(handoff: TrainerHandoff): string {
  const stages = trainableStages(handoff);
  if (stages.length === 0) throw new Error('axolotlConfig: the export has no rows to train on');
  const datasets: AxolotlDataset[] = stages.map((s) => ({ path: join(handoff.exportDir, s.file), ds_type: 'json', ...axolotlDatasetType(handoff.format) }));
  const chat = handoff.format !== 'alpaca';
  return commentedYaml(
    [
      `axolotl training config for tapir campaign ${handoff.campaignId}, round ${handoff.round}: ${stages.length} stage(s), easy to hard.`,
      `Checked against ${CHECKED_AGAINST.axolotl}.`,
      'Run: axolotl train axolotl.yaml   (values marked SET: are yours to fill in)',
      'The keys under "curriculum order" keep the stages in order; change them and axolotl shuffles.',
    ],
    [
      {
        title: 'model',
        entries: [
          {
            key: 'base_model',
            value: handoff.studentModel,
            mustSet: "the student's weights (Hugging Face id or local path); this is the name it was served under",
          },
          ...(chat
            ? [{ key: 'chat_template', value: 'tokenizer_default', note: "The student tokenizer's own template; name another (e.g. chatml) if it has none." }]
            : []),
        ],
      },
      {
        title: 'dataset',
        entries: [
          {
            key: 'datasets',
            value: datasets,
            note: 'The stages, easy to hard, in this order (absolute paths: change them if you move the folder).',
          },
          { key: 'sequence_len', value: 2048, note: 'Tokens per row; longer rows are dropped (excess_length_strategy: drop, the default).' },
        ],
      },
      {
        title: 'curriculum order',
        entries: [
          { key: 'shuffle_merged_datasets', value: false, note: 'Keeps the stages in the order above (the default, true, shuffles them together).' },
          { key: 'shuffle_before_merging_datasets', value: false, note: 'Keeps the order inside each stage.' },
          { key: 'curriculum_sampling', value: true, note: "Sequential sampler instead of the Trainer's random one." },
          {
            key: 'sample_packing',
            value: false,
            note: 'Packing bins rows by length. To pack in order, set sample_packing_sequentially: true as well.',
          },
          { key: 'val_set_size', value: 0, note: 'A split would take the last rows, the hardest, out of training.' },
          { key: 'dataset_exact_deduplication', value: false, note: "Repeated rows are the curriculum's repeats; deduplication would drop them." },
        ],
      },
      {
        title: 'training',
        entries: [
          { key: 'adapter', value: 'lora', note: 'lora, or remove for full fine-tuning' },
          { key: 'lora_r', value: 8 },
          { key: 'lora_alpha', value: 16 },
          { key: 'lora_dropout', value: 0.05 },
          { key: 'lora_target_linear', value: true },
          { key: 'micro_batch_size', value: 1 },
          { key: 'gradient_accumulation_steps', value: 8 },
          { key: 'num_epochs', value: 1, note: 'Each epoch runs the whole curriculum again, from stage 1.' },
          { key: 'learning_rate', value: 0.0001 },
          { key: 'optimizer', value: 'adamw_torch_fused' },
          { key: 'lr_scheduler', value: 'cosine' },
          { key: 'warmup_ratio', value: 0.1 },
          { key: 'bf16', value: 'auto' },
          { key: 'logging_steps', value: 10 },
          { key: 'output_dir', value: `./outputs/${runName(handoff)}` },
        ],
      },
    ],
  );
}
