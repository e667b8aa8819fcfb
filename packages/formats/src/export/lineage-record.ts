import type { TrainingOutputSource } from './training-output';

/** How one answer used by a row was obtained. */
export interface LineageAnswer {
  /** import: came with the pool file; llm: bought from the model (then callId is its ledger row). */
  source: 'import' | 'llm';
  /** llm_calls.id of the request that wrote it; null when imported. */
  callId: number | null;
  promptVersion: string | null;
}

/** The referee's scores of one order. Forward shows the teacher's answer first, swapped the student's. */
export interface LineageJudgeOrder {
  teacher: number;
  student: number;
  /** llm_calls.id of every request of this order, re-asks of unparseable replies included;
   * null for judgments recorded before tapir kept them. */
  callIds: number[] | null;
}

/** One line of lineage.jsonl: where a row of a stage file came from. */
export interface LineageRecord {
  /** The row's id, as in the stage file. */
  id: string;
  round: number;
  stage: number;
  repeatIndex: number;
  /** items.id: what `tapir show <campaign> --item N` takes. */
  itemId: number;
  itemKey: string;
  origin: 'seed' | 'expanded' | 'synthesized';
  /** The pool file and line the item was imported from; null for an item the teacher wrote. */
  source: { file: string | null; line: number | null } | null;
  /** For an expanded item: the hard seed it was written from and the teacher's request. */
  expansion: { seedItemId: number; expansionId: number | null; callId: number | null } | null;
  /** For a synthesized item: the topic, audience and form its request was seeded with, and the teacher's call. */
  synthesis: LineageSynthesis | null;
  category: string;
  /** data: the pool file named it; classifier: the judge model labelled it. */
  categorySource: 'data' | 'classifier' | null;
  answers: { teacher: LineageAnswer | null; student: LineageAnswer | null; refined: LineageAnswer | null };
  /** Which answer the row's output is. */
  trainingOutput: TrainingOutputSource;
  /** The ledger calls of the teacher's replies to the row's follow-up turns, in turn order (empty for one exchange). */
  followUpCallIds: (number | null)[];
  judge: { forward: LineageJudgeOrder; swapped: LineageJudgeOrder; promptVersion: string } | null;
  mfd: number | null;
  ifd: number | null;
}

export interface LineageSynthesis {
  synthesisId: number;
  topic: string;
  audience: string;
  form: string;
  callId: number | null;
}

/** A judgment's stored detail (judgments.detail): scores in the order the judge saw the answers. */
export interface StoredJudgeOrder {
  scores: [number, number];
  callIds?: number[];
}

/**
 * Teacher and student scores of both orders, from the judge's positional scores: forward put the
 * teacher's answer first, swapped put the student's first (combineSwappedJudgements).
 */
export function lineageJudgeOrders(
  forward: StoredJudgeOrder,
  swapped: StoredJudgeOrder,
): { forward: LineageJudgeOrder; swapped: LineageJudgeOrder } {
  return {
    forward: { teacher: forward.scores[0], student: forward.scores[1], callIds: forward.callIds ?? null },
    swapped: { teacher: swapped.scores[1], student: swapped.scores[0], callIds: swapped.callIds ?? null },
  };
}

/**
 * The record with its keys in one fixed order, whatever order the caller built it in: the
 * lineage file of a round must be byte-identical each time it is exported.
 */
export function lineageRecord(r: LineageRecord): LineageRecord {
  const answer = (a: LineageAnswer | null): LineageAnswer | null => (a === null ? null : { source: a.source, callId: a.callId, promptVersion: a.promptVersion });
  const order = (o: LineageJudgeOrder): LineageJudgeOrder => ({ teacher: o.teacher, student: o.student, callIds: o.callIds });
  return {
    id: r.id,
    round: r.round,
    stage: r.stage,
    repeatIndex: r.repeatIndex,
    itemId: r.itemId,
    itemKey: r.itemKey,
    origin: r.origin,
    source: r.source === null ? null : { file: r.source.file, line: r.source.line },
    expansion: r.expansion === null ? null : { seedItemId: r.expansion.seedItemId, expansionId: r.expansion.expansionId, callId: r.expansion.callId },
    synthesis:
      r.synthesis === null
        ? null
        : { synthesisId: r.synthesis.synthesisId, topic: r.synthesis.topic, audience: r.synthesis.audience, form: r.synthesis.form, callId: r.synthesis.callId },
    category: r.category,
    categorySource: r.categorySource,
    answers: { teacher: answer(r.answers.teacher), student: answer(r.answers.student), refined: answer(r.answers.refined) },
    trainingOutput: r.trainingOutput,
    followUpCallIds: [...r.followUpCallIds],
    judge: r.judge === null ? null : { forward: order(r.judge.forward), swapped: order(r.judge.swapped), promptVersion: r.judge.promptVersion },
    mfd: r.mfd,
    ifd: r.ifd,
  };
}
