import { budgetPriceProblems, createCampaign, unpricedWarnings, type OutputUse } from '@tapir/pipeline';
import type { PoolFormat } from '@tapir/formats';
import { UsageError } from '../cli-errors';
import { loadConfigFile } from '../config-file';
import { withDatabase } from '../database';
import { formatImportSummary } from '../format-import-summary';

export interface CreateOptions {
  config: string;
  data?: string;
  format: PoolFormat | 'auto';
  strict?: boolean;
  teacherAnswers?: string;
  studentAnswers?: string;
  outputAs: OutputUse;
}

export async function createCampaignCommand(opts: CreateOptions): Promise<void> {
  if (!opts.data) throw new UsageError('--data <file> is required: the instruction pool to import');
  const config = await loadConfigFile(opts.config);
  const priceProblems = budgetPriceProblems(config);
  if (priceProblems.length > 0) throw new UsageError(priceProblems.map((p) => `${opts.config}: ${p}`).join('\n'));
  for (const warning of unpricedWarnings(config)) process.stderr.write(`tapir: ${warning}\n`);
  const { campaignId, summary } = await withDatabase((database) =>
    createCampaign(database.db, {
      config,
      dataFile: opts.data!,
      format: opts.format,
      strict: opts.strict ?? false,
      ...(opts.teacherAnswers ? { teacherAnswersFile: opts.teacherAnswers } : {}),
      ...(opts.studentAnswers ? { studentAnswersFile: opts.studentAnswers } : {}),
      outputAs: opts.outputAs,
    }),
  );
  process.stdout.write(`${formatImportSummary(summary)}\ncampaign ${campaignId}\n`);
}
