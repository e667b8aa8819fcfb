import type { Db } from '@tapir/db';

/** What every item step needs to know, in one prepared round trip. */
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

const ITEM_STATE_SQL = `
  select i.id, i.campaign_id, i.instruction, i.input, i.category, i.status,
         (select text from answers a where a.item_id = i.id and a.kind = 'teacher' and a.round = 0) as teacher,
         (select text from answers a where a.item_id = i.id and a.kind = 'student' and a.round = $3) as student,
         exists (select 1 from answers a where a.item_id = i.id and a.kind = 'refined' and a.round = 0) as refined,
         exists (select 1 from judgments j where j.item_id = i.id and j.round = $3) as judged,
         exists (select 1 from ifd_scores f where f.item_id = i.id and f.round = $3) as ifd_scored
    from items i where i.id = $1 and i.campaign_id = $2`;

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
  const result = await db.$client.query<ItemStateRow>({ name: 'tapir_item_state', text: ITEM_STATE_SQL, values: [itemId, campaignId, round] });
  const r = result.rows[0];
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
