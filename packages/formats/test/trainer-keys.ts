/**
 * The configuration keys LLaMA-Factory and axolotl define, for the keys tapir writes, each list
 * taken from the trainer's source at the version the configs were checked against
 * (CHECKED_AGAINST). A key tapir writes that is not here is a key the trainer would reject or
 * ignore; both test files check the configs against these lists.
 */

/** LLaMA-Factory 0.9.6.dev0, commit ff6d4d1 (2026-08-18). */
export const LLAMAFACTORY_KEYS = {
  /** src/llamafactory/hparams/model_args.py, ModelArguments */
  model: ['model_name_or_path'],
  /** src/llamafactory/hparams/finetuning_args.py, FinetuningArguments and its LoraArguments */
  finetuning: ['stage', 'finetuning_type', 'lora_rank', 'lora_target', 'disable_shuffling'],
  /** src/llamafactory/hparams/data_args.py, DataArguments */
  data: ['dataset_dir', 'dataset', 'template', 'cutoff_len', 'mix_strategy', 'streaming', 'val_size', 'packing'],
  /** transformers' Seq2SeqTrainingArguments, which hparams/training_args.py extends; each appears in examples/train_lora/qwen3_lora_sft.yaml */
  training: [
    'do_train', 'output_dir', 'logging_steps', 'save_steps', 'report_to', 'per_device_train_batch_size', 'gradient_accumulation_steps',
    'learning_rate', 'num_train_epochs', 'lr_scheduler_type', 'warmup_ratio', 'bf16',
  ],
  /** data_args.py: mix_strategy's Literal */
  mixStrategies: ['concat', 'interleave_under', 'interleave_over', 'interleave_once'],
  /** finetuning_args.py: stage's and finetuning_type's Literals */
  stages: ['pt', 'sft', 'rm', 'ppo', 'dpo', 'kto'],
  finetuningTypes: ['lora', 'oft', 'freeze', 'full'],
} as const;

/** axolotl 0.18.0, commit 067b021 (2026-07-24). */
export const AXOLOTL_KEYS = {
  /** src/axolotl/utils/schemas/{config,model,peft,training}.py, AxolotlInputConfig and its bases */
  top: [
    'base_model', 'chat_template', 'datasets', 'sequence_len', 'shuffle_merged_datasets', 'shuffle_before_merging_datasets',
    'curriculum_sampling', 'sample_packing', 'val_set_size', 'dataset_exact_deduplication', 'adapter', 'lora_r', 'lora_alpha',
    'lora_dropout', 'lora_target_linear', 'micro_batch_size', 'gradient_accumulation_steps', 'num_epochs', 'learning_rate',
    'optimizer', 'lr_scheduler', 'warmup_ratio', 'bf16', 'logging_steps', 'output_dir',
  ],
  /** src/axolotl/utils/schemas/datasets.py, SFTDataset */
  dataset: ['path', 'ds_type', 'type', 'field_messages', 'message_property_mappings'],
  /** src/axolotl/utils/schemas/enums.py, ChatTemplate (the value tapir writes) */
  chatTemplates: ['tokenizer_default'],
} as const;

/** Hugging Face `datasets` (naming.py `_split_re`): a split name is word characters and dots. */
export const HF_SPLIT_NAME = /^\w+(\.\w+)*$/;

/**
 * OpenAI's fine-tuning file, supervised chat: one FineTuneChatRequestInput per line (OpenAI's
 * OpenAPI spec 2.3.0): these keys, and messages whose role is one of these.
 */
export const OPENAI_FINE_TUNING = {
  lineKeys: ['messages', 'tools', 'parallel_tool_calls', 'functions'],
  roles: ['system', 'user', 'assistant', 'tool', 'function'],
} as const;
