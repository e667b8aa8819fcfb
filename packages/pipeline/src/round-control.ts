import { campaignConfigSchema } from '@tapir/core';
import { campaigns, items, rounds, transition, transitionSources } from '@tapir/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { CampaignControlError } from './campaign-control';
import type { PipelineServices } from './services';

export interface NextRoundOptions {
  /** The re-trained student's model name, as its server knows it. */
  studentModel: string;
  /** Where that checkpoint is served, if not at the config's models.student.baseURL. */
  studentBaseUrl?: string;
}


/**
 * Registers the student fine-tuned on round r and opens round r + 1: every item is measured
 * again against the new student (student answers, judgements and IFD are per round), while the
 * teacher's and the refined answers are reused, never bought again. One transaction, so a
 * campaign is never half-way into a round; the caller then reconciles the queues.
 */
export async function startNextRound(s: PipelineServices, campaignId: string, opts: NextRoundOptions): Promise<number> {
  const next = await s.db.transaction(async (tx) => {
    const locked = await tx.execute<{ current_round: number; status: string; config: unknown }>(
      sql`select current_round, status, config from ${campaigns} where id = ${campaignId} for update`,
    );
    const campaign = locked.rows[0];
    if (!campaign) throw new CampaignControlError(`campaign ${campaignId} does not exist (see \`tapir list\`)`);
    const config = campaignConfigSchema.parse(campaign.config);
    const current = Number(campaign.current_round);
    const [row] = await tx
      .select({ completedAt: rounds.completedAt })
      .from(rounds)
      .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, current)));
    if (!row?.completedAt) {
      throw new CampaignControlError(
        `round ${current} of campaign ${campaignId} is not finished (status: ${campaign.status}); ` +
          `finish it with \`tapir run ${campaignId}\`, export it, fine-tune the student on it, then register the new checkpoint`,
      );
    }
    const from = transitionSources('round-next', 'running');
    if (!(from as readonly string[]).includes(campaign.status)) {
      throw new CampaignControlError(`campaign ${campaignId} is ${campaign.status}; \`tapir resume ${campaignId}\` first`);
    }
    const round = current + 1;
    if (round > config.rounds.count) {
      throw new CampaignControlError(
        `campaign ${campaignId} has ${config.rounds.count} round(s) (config rounds.count) and round ${current} was the last; ` +
          'create a new campaign with a larger rounds.count to go on (its ledger reuses every answer already paid for)',
      );
    }
    await tx.insert(rounds).values({
      campaignId,
      round,
      studentModel: opts.studentModel,
      studentBaseUrl: opts.studentBaseUrl ?? null,
    });
    // The row is locked (for update above): the status checked is the status moved.
    await transition(tx, campaignId, from, 'running');
    await tx.update(campaigns).set({ currentRound: round }).where(eq(campaigns.id, campaignId));
    await tx
      .update(items)
      .set({ status: 'pending', failStep: null, failReason: null })
      .where(and(eq(items.campaignId, campaignId), eq(items.status, 'judged')));
    // Steps whose outcome belongs to one round's student: a new student deserves a new try.
    await tx
      .update(items)
      .set({ status: 'pending', failStep: null, failReason: null })
      .where(and(eq(items.campaignId, campaignId), eq(items.status, 'failed'), inArray(items.failStep, s.steps.perRoundNames)));
    return round;
  });
  s.gate.forget(campaignId);
  return next;
}
