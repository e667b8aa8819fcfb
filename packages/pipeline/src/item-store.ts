import { answers, items, judgments, type Db } from '@tapir/db';
import { and, eq } from 'drizzle-orm';

export type ItemRow = typeof items.$inferSelect;

export async function loadItem(db: Db, campaignId: string, itemId: number): Promise<ItemRow | undefined> {
  const [row] = await db
    .select()
    .from(items)
    .where(and(eq(items.id, itemId), eq(items.campaignId, campaignId)));
  return row;
}

/** Teacher and refined answers are round-independent (round 0); student answers belong to a round. */
export function answerRound(kind: 'teacher' | 'student' | 'refined', round: number): number {
  return kind === 'student' ? round : 0;
}

export async function loadAnswer(
  db: Db,
  itemId: number,
  kind: 'teacher' | 'student' | 'refined',
  round: number,
): Promise<string | undefined> {
  const [row] = await db
    .select({ text: answers.text })
    .from(answers)
    .where(and(eq(answers.itemId, itemId), eq(answers.kind, kind), eq(answers.round, answerRound(kind, round))));
  return row?.text;
}

export async function hasJudgment(db: Db, itemId: number, round: number): Promise<boolean> {
  const [row] = await db
    .select({ id: judgments.id })
    .from(judgments)
    .where(and(eq(judgments.itemId, itemId), eq(judgments.round, round)));
  return row !== undefined;
}

/** The question the referee and the teacher see: the instruction, then its input if any. */
export function questionText(item: Pick<ItemRow, 'instruction' | 'input'>): string {
  return item.input ? `${item.instruction}\n\n${item.input}` : item.instruction;
}
