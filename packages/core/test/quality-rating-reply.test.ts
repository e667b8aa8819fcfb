import { buildQualityRatingMessages, parseQualityRating, qualityRatingPromptVersion } from '../src';

/** Replies as judges write them: structured objects, JSON in prose or fences, and text in several styles. */
const PARSED: [string, number, number][] = [
  ['{"consistency": 8, "readability": 9, "explanation": "Clear."}', 8, 9],
  ['{"consistency_score": "7/10", "readability_score": 6.5}', 7, 6.5],
  ['Here is my rating:\n```json\n{"Consistency": 3, "Readability": 2, "explanation": "garbled"}\n```', 3, 2],
  ['Sure! {"consistency": 10, "readability": 10, "explanation": "ok"} Hope this helps.', 10, 10],
  ['Consistency: 8\nReadability: 9\nExplanation: coherent and fluent.', 8, 9],
  ['**Consistency:** 7/10\n**Readability:** 8/10\nThe instruction is fine.', 7, 8],
  ['Consistency score - 4\nReadability rating = 5', 4, 5],
  ['consistency: 6.5 out of 10, readability: 7 out of 10', 6.5, 7],
  ['Consistency: [[9]]\nReadability: [[8]]', 9, 8],
  ['The instruction is coherent.\nConsistency: 9\nIt reads well.\nReadability: 9\nConsistency: 9', 9, 9],
];

const FAILED: [string, RegExp][] = [
  ['The instruction looks fine to me.', /no consistency/],
  ['Consistency: 8', /no readability/],
  ['Consistency: 11\nReadability: 9', /outside 1\.\.10/],
  ['Consistency: 0\nReadability: 9', /outside 1\.\.10/],
  ['Consistency: 8\nReadability: 9\nConsistency: 3', /2 different consistency/],
  ['{"consistency": 8}', /JSON reply has no readability/],
  ['{"consistency": "high", "readability": 9}', /not a number/],
  ['Rating: [[7]]', /no consistency/],
];

describe('parseQualityRating', () => {
  test.each(PARSED)('reads %j', (reply, consistency, readability) => {
    expect(parseQualityRating(reply)).toEqual({ ok: true, consistency, readability, score: (consistency + readability) / 2 });
  });

  test.each(FAILED)('refuses %j with the reason', (reply, reason) => {
    const result = parseQualityRating(reply);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('the quality rating prompt', () => {
  test('delimits the instruction and its input, asks for both aspects, and versions text and structured modes apart', () => {
    const [system, user] = buildQualityRatingMessages('Summarise the text.', 'Some text.', 'text');
    expect(system!.role).toBe('system');
    expect(user!.content).toContain('[The Start of Instruction]\nSummarise the text.\n\n[Input]\nSome text.\n[The End of Instruction]');
    expect(user!.content).toMatch(/Consistency: <1-10>/);
    expect(buildQualityRatingMessages('Hi there friend.', '  ', 'json_schema')[1]!.content).not.toContain('[Input]');
    expect(new Set([qualityRatingPromptVersion('text'), qualityRatingPromptVersion('json_schema'), qualityRatingPromptVersion('tool')]).size).toBe(3);
  });
});
