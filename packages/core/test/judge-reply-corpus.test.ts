import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJudgeScores } from '@tapir/core';

interface CorpusCase {
  name: string;
  reply: string;
  /** the scores [Assistant 1, Assistant 2] the reply gives, or 're-ask' when they cannot be told without guessing */
  expected: [number, number] | 're-ask';
}

const corpus = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'judge-replies.json'), 'utf8')) as CorpusCase[];

describe('judge reply corpus (fixtures/judge-replies.json)', () => {
  test('holds at least 30 replies, both outcomes, and the tricky kinds the issue names', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    expect(corpus.filter((c) => c.expected === 're-ask').length).toBeGreaterThanOrEqual(10);
    for (const kind of ['reversed', 'prose', '/10', 'tie', 'refusal', 'JSON', 'Chinese', 'errors', 'out of range', 'markdown']) {
      expect(corpus.some((c) => c.name.includes(kind))).toBe(true);
    }
  });

  test.each(corpus.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = parseJudgeScores(c.reply);
    if (c.expected === 're-ask') {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
    } else {
      expect(result).toEqual({ ok: true, scores: c.expected });
    }
  });
});
