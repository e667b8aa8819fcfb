import { ITEM_STATE, runBatched, type Db } from '@tapir/db';

/** What every item step needs to know, in one prepared (and batched) round trip. */
export interface ItemState {
  id: number;
  campaignId: string;
  instruction: string;
  input: string;
  category: string | null;
  status: string;
  /** The conversation's system prompt, if it had one. */
  system: string | null;
  /** User turns after the first exchange (import.turns: all); empty otherwise. */
  followUps: string[];
  teacherAnswer: string | null;
  studentAnswer: string | null;
  refined: boolean;
  judged: boolean;
  ifdScored: boolean;
}

export async function loadItemState(db: Db, campaignId: string, itemId: number, round: number): Promise<ItemState | undefined> {
  // Batched with the concurrent jobs' loads: one round trip carries many under load.
  const r = await runBatched(db, ITEM_STATE, [itemId, campaignId, round]);
  if (!r) return undefined;
  return {
    id: r.id,
    campaignId: r.campaign_id,
    instruction: r.instruction,
    input: r.input,
    category: r.category,
    status: r.status,
    system: r.system,
    followUps: r.follow_ups ?? [],
    teacherAnswer: r.teacher,
    studentAnswer: r.student,
    refined: r.refined,
    judged: r.judged,
    ifdScored: r.ifd_scored,
  };
}
