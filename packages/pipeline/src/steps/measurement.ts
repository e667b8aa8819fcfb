import { MARK_MEASURED, MARK_MEASURED_ALL, runQuery } from '@tapir/db';
import type { SignalNeeds } from '../difficulty-signals';
import type { PipelineServices } from '../services';

/**
 * An item is `pending` until every difficulty signal the campaign uses is stored for the round,
 * then `judged` (measured). The steps that measure hold the plan while any item is pending.
 */
export const MEASUREMENT_PENDING = `exists (select 1 from items where campaign_id = $1 and status = 'pending')`;

/**
 * An item measured by two signals is done when both are stored. Each signal's job runs this as
 * its own statement after its insert committed, so of two finishing together the later one
 * always sees both rows.
 */
export async function markMeasuredIfComplete(s: PipelineServices, itemId: number, round: number, needs: SignalNeeds): Promise<void> {
  await runQuery(s.db, MARK_MEASURED, [itemId, round, needs.mfd, needs.ifd]);
}

/** The same for every item of the campaign whose status update a crash lost between its two signals' statements. */
export async function markMeasuredItems(s: PipelineServices, campaignId: string, round: number, needs: SignalNeeds): Promise<void> {
  await runQuery(s.db, MARK_MEASURED_ALL, [campaignId, round, needs.mfd, needs.ifd]);
}
