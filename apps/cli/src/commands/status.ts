import { campaignStatus } from '@tapir/pipeline';
import { CliFailure } from '../cli-errors';
import { withDatabase } from '../database';
import { formatStatus } from '../format-status';

export async function statusCommand(campaignId: string, opts: { json?: boolean }): Promise<void> {
  const report = await withDatabase((database) => campaignStatus(database.db, campaignId));
  if (!report) throw new CliFailure(`campaign ${campaignId} does not exist (see \`tapir list\`)`);
  process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatStatus(report) + '\n');
}
