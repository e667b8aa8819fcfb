import { computeIfd, IFD_PROMPT_VERSION, ifdPrefix, meanNll } from '@tapir/core';
import { signalNeeds } from '../difficulty-signals';
import type { ItemJobData } from '../job-catalog';
import { loadItemState, runPrepared } from '../item-state';
import { scoreWithModel } from '../model-call';
import { enqueuePlanIfReady, markMeasuredIfComplete } from '../progression';
import type { PipelineServices } from '../services';
import { PermanentStepError } from '../step-error';

const RECORD_IFD_SQL = `
  insert into ifd_scores (campaign_id, item_id, round, conditioned_nll, unconditioned_nll, ifd, answer_tokens, student_model)
  values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`;

/**
 * The Instruction-Following Difficulty of the teacher's answer for the round's student (Cherry
 * LLM, method.md): s(A|Q) is the mean token NLL of the answer after the Alpaca prompt with the
 * instruction, s(A) the same with no prompt at all, and IFD = s(A|Q) / s(A). Near 1 the
 * instruction does not help the student produce the answer: it has not learned the task.
 */
export async function processScoreIfd(s: PipelineServices, job: ItemJobData): Promise<void> {
  const item = await loadItemState(s.db, job.campaignId, job.itemId, job.round);
  if (!item || item.status === 'failed') return;
  const campaign = await s.registry.get(job.campaignId);
  const needs = signalNeeds(campaign.config);
  if (!item.ifdScored) {
    const answer = item.teacherAnswer;
    if (answer === null) throw new PermanentStepError('IFD scoring ran before the teacher answer existed');
    const call = { target: answer, promptVersion: IFD_PROMPT_VERSION, itemId: item.id };
    // Both settle before the job may fail, so that a retry never re-sends one still in flight.
    const settled = await Promise.allSettled([
      scoreWithModel(s, campaign, 'student', job.round, { ...call, prefix: ifdPrefix(item.instruction, item.input), purpose: 'ifd-conditioned' }),
      scoreWithModel(s, campaign, 'student', job.round, { ...call, prefix: '', purpose: 'ifd-unconditioned' }),
    ]);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    const [conditioned, unconditioned] = settled.map((r) => (r as PromiseFulfilledResult<{ tokens: number; sumLogprob: number }>).value) as [
      { tokens: number; sumLogprob: number },
      { tokens: number; sumLogprob: number },
    ];
    if (conditioned.tokens === 0 || unconditioned.tokens === 0) {
      throw new PermanentStepError('the teacher answer has no scorable tokens (empty answer?), so IFD is undefined');
    }
    const sAQ = meanNll(conditioned);
    const sA = meanNll(unconditioned);
    let ifd: number;
    try {
      ifd = computeIfd(sAQ, sA);
    } catch (err) {
      throw new PermanentStepError(`IFD undefined: ${(err as Error).message}`);
    }
    const endpoint = await campaign.endpoint('student', job.round);
    await runPrepared(s.db, 'tapir_ifd_record', RECORD_IFD_SQL, [
      item.campaignId,
      item.id,
      job.round,
      sAQ,
      sA,
      ifd,
      conditioned.tokens,
      endpoint.settings.model,
    ]);
  }
  await markMeasuredIfComplete(s, item.id, job.round, needs);
  await enqueuePlanIfReady(s, job.campaignId, job.round);
}
