import { CampaignControlError, startNextRound } from '@tapir/pipeline';
import { CliFailure } from '../cli-errors';
import { withPipeline } from '../database';
import { driveCampaign, reportOutcome } from './run';

export interface RoundNextOptions {
  studentModel: string;
  studentBaseUrl?: string;
  workers: boolean;
  detach?: boolean;
  concurrency: number;
}

/**
 * `tapir round next`: registers the student fine-tuned on the last round's export and runs the
 * next round against it (student answers, judgements and IFD again; teacher and refined answers
 * reused).
 */
export async function roundNextCommand(campaignId: string, opts: RoundNextOptions): Promise<void> {
  await withPipeline('warn', async (pipeline) => {
    let round: number;
    try {
      round = await startNextRound(pipeline.services, campaignId, {
        studentModel: opts.studentModel,
        ...(opts.studentBaseUrl ? { studentBaseUrl: opts.studentBaseUrl } : {}),
      });
    } catch (err) {
      if (err instanceof CampaignControlError) throw new CliFailure(err.message);
      throw err;
    }
    process.stdout.write(`campaign ${campaignId} round ${round}: student ${opts.studentModel}${opts.studentBaseUrl ? ` at ${opts.studentBaseUrl}` : ''}\n`);
    const status = await driveCampaign(pipeline, campaignId, opts);
    if (opts.detach) {
      process.stdout.write(`round ${round} enqueued; run \`tapir worker\` processes to work on it\n`);
      return;
    }
    await reportOutcome(pipeline, campaignId, status);
  });
}
