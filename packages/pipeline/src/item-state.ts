import type { Db } from '@tapir/db';
import { runBatched, type BatchedStatement } from './batched-statement';

/** What every item step needs to know, in one prepared (and batched) round trip. */
export interface ItemState {
  id: number;
  campaignId: string;
  instruction: string;
  input: string;
  category: string | null;
  status: string;
  teacherAnswer: string | null;
  studentAnswer: string | null;
  refined: boolean;
  judged: boolean;
  ifdScored: boolean;
}

const ITEM_STATE: BatchedStatement = {
  name: 'tapir_item_state_batch',
  width: 3,
  text: `
  select q.ord::int as ord, i.id, i.campaign_id, i.instruction, i.input, i.category, i.status,
         (select text from answers a where a.item_id = i.id and a.kind = 'teacher' and a.round = 0) as teacher,
         (select text from answers a where a.item_id = i.id and a.kind = 'student' and a.round = q.round) as student,
         coalesce((select true from answers a where a.item_id = i.id and a.kind = 'refined' and a.round = 0 limit 1), false) as refined,
         coalesce((select true from judgments j where j.item_id = i.id and j.round = q.round limit 1), false) as judged,
         coalesce((select true from ifd_scores f where f.item_id = i.id and f.round = q.round limit 1), false) as ifd_scored
    from unnest($1::int[], $2::text[], $3::int[]) with ordinality as q(item_id, campaign_id, round, ord)
    join items i on i.id = q.item_id and i.campaign_id = q.campaign_id`,
};

interface ItemStateRow {
  id: number;
  campaign_id: string;
  instruction: string;
  input: string;
  category: string | null;
  status: string;
  teacher: string | null;
  student: string | null;
  refined: boolean;
  judged: boolean;
  ifd_scored: boolean;
}

export async function loadItemState(db: Db, campaignId: string, itemId: number, round: number): Promise<ItemState | undefined> {
  // Batched with the concurrent jobs' loads: one round trip carries many under load.
  const r = await runBatched<ItemStateRow>(db, ITEM_STATE, [itemId, campaignId, round]);
  if (!r) return undefined;
  return {
    id: r.id,
    campaignId: r.campaign_id,
    instruction: r.instruction,
    input: r.input,
    category: r.category,
    status: r.status,
    teacherAnswer: r.teacher,
    studentAnswer: r.student,
    refined: r.refined,
    judged: r.judged,
    ifdScored: r.ifd_scored,
  };
}

/** Runs one named (prepared) statement: parsed and planned once per connection, not per job. */
export async function runPrepared(db: Db, name: string, text: string, values: unknown[]): Promise<void> {
  await db.$client.query({ name, text, values });
}
