/** Teacher and refined answers are round-independent (round 0); student answers belong to a round. */
export function answerRound(kind: 'teacher' | 'student' | 'refined', round: number): number {
  return kind === 'student' ? round : 0;
}

/** The question the referee and the teacher see: the instruction, then its input if any. */
export function questionText(item: { instruction: string; input: string }): string {
  return item.input ? `${item.instruction}\n\n${item.input}` : item.instruction;
}
