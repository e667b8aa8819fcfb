import type { ExportFormat } from './export-row';

/** One entry of LLaMA-Factory's data/dataset_info.json (the subset tapir writes). */
export interface LlamaFactoryDataset {
  file_name: string;
  formatting: 'alpaca' | 'sharegpt';
  columns: Record<string, string>;
  tags?: Record<string, string>;
}

/**
 * Describes the stage files so LLaMA-Factory can train on them by name (`dataset: stage_1`).
 * Schema per LLaMA-Factory data/README.md. The OpenAI layout is LLaMA-Factory's "sharegpt"
 * formatting with OpenAI tag names. Our extra columns (category, mfd) are ignored by its loader.
 * `formatting` is written for alpaca too although it is the default, so the file reads on its own.
 */
export function llamaFactoryDatasetInfo(
  format: ExportFormat,
  stageFiles: { name: string; fileName: string }[],
  has: { system?: boolean; history?: boolean } = {},
): Record<string, LlamaFactoryDataset> {
  const info: Record<string, LlamaFactoryDataset> = {};
  const shape = DATASET_SHAPE[format];
  // The system and history columns are named only when some row has them, so that an export
  // without conversations describes exactly the columns it has.
  const extra: Record<string, string> = {
    ...(has.system && format !== 'openai' ? { system: 'system' } : {}),
    ...(has.history && format === 'alpaca' ? { history: 'history' } : {}),
  };
  for (const { name, fileName } of stageFiles) {
    if (Object.hasOwn(info, name)) throw new Error(`llamaFactoryDatasetInfo: dataset name '${name}' used twice`);
    info[name] = { file_name: fileName, ...shape, columns: { ...shape.columns, ...extra } };
  }
  return info;
}

const DATASET_SHAPE: Record<ExportFormat, Omit<LlamaFactoryDataset, 'file_name'>> = {
  alpaca: {
    formatting: 'alpaca',
    columns: { prompt: 'instruction', query: 'input', response: 'output' },
  },
  sharegpt: {
    formatting: 'sharegpt',
    columns: { messages: 'conversations' },
    tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt' },
  },
  openai: {
    formatting: 'sharegpt',
    columns: { messages: 'messages' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
  },
};
