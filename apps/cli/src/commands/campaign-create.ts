import { dirname } from 'node:path';
// The pipeline's import files, not its index: the index loads the queue, worker and model
// client modules too, whose heap an import of a million rows carries for nothing (lazy-action.ts).
import { createCampaign, sourcesFromConfig, type ImportSource, type OutputUse } from '@tapir/pipeline/dist/import-pool';
import { budgetPriceProblems, unpricedWarnings } from '@tapir/pipeline/dist/price-coverage';
import { uniqueSourceNames } from '@tapir/pipeline/dist/source-name';
import type { PoolFormat } from '@tapir/formats';
import { UsageError } from '../cli-errors';
import { loadConfigFile } from '../config-file';
import { withDatabase } from '../database';
import { formatImportSummary } from '../format-import-summary';

export interface CreateOptions {
  config: string;
  /** Repeatable: each file (or dataset folder) is a source named after it. */
  data: string[];
  format: PoolFormat | 'auto';
  strict?: boolean;
  teacherAnswers?: string;
  studentAnswers?: string;
  outputAs: OutputUse;
}

export async function createCampaignCommand(opts: CreateOptions): Promise<void> {
  const config = await loadConfigFile(opts.config);
  if (config.sources && opts.data.length > 0) {
    throw new UsageError(`${opts.config}: sources: names the pool, and so does --data; use one (the config's sources: carry names, shares and column mappings)`);
  }
  if (!config.sources && opts.data.length === 0) {
    throw new UsageError('--data <file> is required (or a sources: section in the config): the instruction pool to import');
  }
  const names = uniqueSourceNames(opts.data);
  const sources: ImportSource[] = config.sources
    ? sourcesFromConfig(config.sources, dirname(opts.config))
    : opts.data.map((file, i) => ({ name: names[i]!, file, format: opts.format }));
  const priceProblems = budgetPriceProblems(config);
  if (priceProblems.length > 0) throw new UsageError(priceProblems.map((p) => `${opts.config}: ${p}`).join('\n'));
  for (const warning of unpricedWarnings(config)) process.stderr.write(`tapir: ${warning}\n`);
  const { campaignId, summary } = await withDatabase((database) =>
    createCampaign(database.db, {
      config,
      sources,
      strict: opts.strict ?? false,
      ...(opts.teacherAnswers ? { teacherAnswersFile: opts.teacherAnswers } : {}),
      ...(opts.studentAnswers ? { studentAnswersFile: opts.studentAnswers } : {}),
      outputAs: opts.outputAs,
    }),
  );
  process.stdout.write(`${formatImportSummary(summary)}\ncampaign ${campaignId}\n`);
}
