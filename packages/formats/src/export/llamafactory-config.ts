import { commentedYaml } from './commented-yaml';
import { CHECKED_AGAINST, runName, trainableStages, type TrainerHandoff } from './trainer-handoff';

export const LLAMAFACTORY_CONFIG_FILE = 'llamafactory.yaml';

/**
 * A LLaMA-Factory SFT config that trains on the stages in curriculum order, in one run.
 *
 * Order is kept by five keys, each from LLaMA-Factory's source (CHECKED_AGAINST):
 * - `mix_strategy: concat`: merge_dataset() (data/data_utils.py) concatenates the datasets in the
 *   order `dataset` lists them; the interleave strategies sample among them at random.
 * - `streaming: false`: in streaming mode split_dataset() shuffles through a buffer.
 * - `val_size: 0`: a validation split is cut with train_test_split(), which shuffles.
 * - `packing: false`: packing groups rows into knapsacks by length (processor/supervised.py).
 * - `disable_shuffling: true`: the trainers' _get_train_sampler() (train/sft/trainer.py) then
 *   returns a SequentialSampler instead of the transformers Trainer's RandomSampler.
 * So one config suffices; `num_train_epochs` repeats the whole curriculum, easy to hard, per epoch.
 */
export function llamaFactoryConfig(handoff: TrainerHandoff): string {
  const stages = trainableStages(handoff);
  if (stages.length === 0) throw new Error('llamaFactoryConfig: the export has no rows to train on');
  return commentedYaml(
    [
      `LLaMA-Factory training config for tapir campaign ${handoff.campaignId}, round ${handoff.round}: ${stages.length} stage(s), easy to hard.`,
      `Checked against ${CHECKED_AGAINST.llamaFactory}.`,
      'Run: llamafactory-cli train llamafactory.yaml   (values marked SET: are yours to fill in)',
      'The keys under "curriculum order" keep the stages in order; change them and LLaMA-Factory shuffles.',
    ],
    [
      {
        title: 'model',
        entries: [
          {
            key: 'model_name_or_path',
            value: handoff.studentModel,
            mustSet: 'the student\'s weights (Hugging Face id or local path); this is the name it was served under',
          },
        ],
      },
      {
        title: 'method',
        entries: [
          { key: 'stage', value: 'sft' },
          { key: 'do_train', value: true },
          { key: 'finetuning_type', value: 'lora', note: 'lora, or full for full fine-tuning' },
          { key: 'lora_rank', value: 8 },
          { key: 'lora_target', value: 'all' },
        ],
      },
      {
        title: 'dataset',
        entries: [
          {
            key: 'dataset_dir',
            value: handoff.exportDir,
            note: 'This export: LLaMA-Factory reads <dataset_dir>/dataset_info.json. Change it if you move the folder.',
          },
          { key: 'dataset', value: stages.map((s) => s.datasetName).join(','), note: 'The stages, easy to hard, in this order.' },
          { key: 'template', value: null, mustSet: "the student's chat template (e.g. qwen3, llama3); null parses the tokenizer's own" },
          { key: 'cutoff_len', value: 2048, note: 'Tokens per row; longer rows are cut.' },
        ],
      },
      {
        title: 'curriculum order',
        entries: [
          { key: 'mix_strategy', value: 'concat', note: 'Concatenates the stages in the order above; interleave_* samples among them at random.' },
          { key: 'streaming', value: false, note: 'Streaming shuffles through a buffer.' },
          { key: 'val_size', value: 0, note: 'A validation split is cut at random (train_test_split shuffles).' },
          { key: 'packing', value: false, note: 'Packing regroups rows by length.' },
          { key: 'disable_shuffling', value: true, note: "Sequential sampler instead of the Trainer's random one." },
        ],
      },
      {
        title: 'output',
        entries: [
          { key: 'output_dir', value: `saves/${runName(handoff)}` },
          { key: 'logging_steps', value: 10 },
          { key: 'save_steps', value: 500 },
          { key: 'report_to', value: 'none' },
        ],
      },
      {
        title: 'train',
        entries: [
          { key: 'per_device_train_batch_size', value: 1 },
          { key: 'gradient_accumulation_steps', value: 8 },
          { key: 'learning_rate', value: 1.0e-4 },
          { key: 'num_train_epochs', value: 1.0, note: 'Each epoch runs the whole curriculum again, from stage 1.' },
          { key: 'lr_scheduler_type', value: 'cosine' },
          { key: 'warmup_ratio', value: 0.1 },
          { key: 'bf16', value: true },
        ],
      },
    ],
  );
}
