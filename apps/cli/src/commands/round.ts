import { CampaignControlError, startNextRound } from '@tapir/pipeline';
import { CliFailure } from '../cli-errors';
import { withPipeline } from '../database';
import { assertEndpointsAnswer } from '../preflight-check';
import { driveCampaign, reportOutcome, runLogFor, type RunCommandOptions } from './run';

export interface RoundNextOptions extends RunCommandOptions {
  studentModel: string;
  studentBaseUrl?: string;
}

/**
 * `tapir round next`: registers the student fine-tuned on the last round's export and runs the
 * next round against it (student answers, judgements and IFD again; teacher and refined answers
 * reused).
 */
export async function roundNextCommand(campaignId: string, opts: RoundNextOptions): Promise<void> {
  const log = runLogFor(campaignId, opts);
  await withPipeline(log.logger, async (pipeline) => {
    // Before the round is registered, against the new student: a checkpoint not served yet (or
    // served under another name) is refused here, not discovered by every item failing.
    if (opts.workers && opts.preflight) {
      await assertEndpointsAnswer(pipeline, campaignId, {
        student: { model: opts.studentModel, baseURL: opts.studentBaseUrl },
        retry: `\`tapir round next ${campaignId}\` again`,
      });
    }
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
    const status = await driveCampaign(pipeline, campaignId, { ...opts, preflight: false, log });
    if (opts.detach) {
      process.stdout.write(`round ${round} enqueued; run \`tapir worker\` processes to work on it\n`);
      return;
    }
    await reportOutcome(pipeline, campaignId, status);
  });
}
