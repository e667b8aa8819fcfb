import { readFileSync } from 'node:fs';
import {
  buildSynthesisMessages,
  bundledTopicsPath,
  DEFAULT_SYNTHESIS_AUDIENCES,
  DEFAULT_SYNTHESIS_FORMS,
  DEFAULT_TAXONOMY,
  distinctTrigramsPer1000Words,
  diversityReport,
  meanPairwiseRougeL,
  parseSynthesisReply,
  parseTopicList,
  parseTopicFile,
  planSynthesisRequests,
  synthesisDeficits,
  synthesisRequest,
  SYNTHESIZE_PROMPT_VERSION,
  topicsFor,
  TopicListError,
} from '@tapir/core';

const NAMES = DEFAULT_TAXONOMY.map((c) => c.name);
const OPTS = { seed: 42, audiences: DEFAULT_SYNTHESIS_AUDIENCES, forms: DEFAULT_SYNTHESIS_FORMS };

describe('the synthesis prompt', () => {
  test('names the category, topic, audience and form on one marker line each, and ends with the marker the simulator reads', () => {
    const [message] = buildSynthesisMessages({ category: 'Physics', topic: 'projectile\nmotion', audience: 'a high-school student', form: 'exercise' });
    expect(message!.role).toBe('user');
    const lines = message!.content.split('\n');
    expect(lines).toContain('#Category#: Physics');
    expect(lines).toContain('#Topic#: projectile motion');
    expect(lines).toContain('#Audience#: a high-school student');
    expect(lines).toContain('#Form#: exercise');
    expect(message!.content.endsWith('#New Instruction#:\n')).toBe(true);
    expect(SYNTHESIZE_PROMPT_VERSION).toMatch(/^synthesize-v\d+$/);
  });

  test('the reply: echoed marker, quotes and fences peeled off; empty is null', () => {
    expect(parseSynthesisReply('#New Instruction#: "Explain inertia."')).toBe('Explain inertia.');
    expect(parseSynthesisReply('```\nExplain inertia.\n```')).toBe('Explain inertia.');
    expect(parseSynthesisReply('   ')).toBeNull();
  });
});

describe('topic lists', () => {
  test('headers scope topics to a category, lines before any header serve all, comments and duplicates are skipped', () => {
    const list = parseTopicList('# mine\nrivers\n\n[physics]\nlevers\nlevers\n[Code Generation]\nparsers\nrivers\n', NAMES);
    expect(topicsFor(list, 'Physics')).toEqual(['levers', 'rivers']);
    expect(topicsFor(list, 'Code Generation')).toEqual(['parsers', 'rivers']);
    expect(topicsFor(list, 'Math')).toEqual(['rivers']);
  });

  test('a header naming no category is an error with its line', () => {
    expect(() => parseTopicList('a\n[Astrology]\nb\n', NAMES)).toThrow(TopicListError);
    try {
      parseTopicList('a\n[Astrology]\nb\n', NAMES);
    } catch (err) {
      expect((err as TopicListError).line).toBe(2);
    }
  });

  test('the bundled list skips sections of categories a custom taxonomy lacks; a user list does not', () => {
    const text = readFileSync(bundledTopicsPath(), 'utf8');
    const list = parseTopicFile(bundledTopicsPath(), text, ['Physics', 'Others']);
    expect([...list.byCategory.keys()].sort()).toEqual(['Others', 'Physics']);
    expect(list.general).toEqual([]);
    expect(() => parseTopicFile('/elsewhere/topics.txt', text, ['Physics', 'Others'])).toThrow(TopicListError);
  });

  test('the bundled list has a few hundred topics and some for every category of the default taxonomy', () => {
    const list = parseTopicList(readFileSync(bundledTopicsPath(), 'utf8'), NAMES);
    let total = list.general.length;
    for (const name of NAMES) {
      const topics = list.byCategory.get(name) ?? [];
      expect(topics.length).toBeGreaterThanOrEqual(8);
      total += topics.length;
    }
    expect(total).toBeGreaterThanOrEqual(300);
  });
});

describe('topic sampling', () => {
  const topics = Array.from({ length: 7 }, (_, i) => `topic ${i}`);

  test('without replacement: every topic once before any repeats, in every cycle', () => {
    for (const start of [0, 7, 14]) {
      const drawn = Array.from({ length: 7 }, (_, i) => synthesisRequest('Math', start + i, topics, OPTS).topic);
      expect(new Set(drawn).size).toBe(7);
    }
  });

  test('a slot always gets the same request (the planner can write it again after a crash); categories differ', () => {
    expect(synthesisRequest('Math', 3, topics, OPTS)).toEqual(synthesisRequest('Math', 3, topics, OPTS));
    const math = Array.from({ length: 7 }, (_, i) => synthesisRequest('Math', i, topics, OPTS).topic);
    const physics = Array.from({ length: 7 }, (_, i) => synthesisRequest('Physics', i, topics, OPTS).topic);
    expect(math).not.toEqual(physics);
    expect(DEFAULT_SYNTHESIS_AUDIENCES).toContain(synthesisRequest('Math', 3, topics, OPTS).audience);
    expect(DEFAULT_SYNTHESIS_FORMS).toContain(synthesisRequest('Math', 3, topics, OPTS).form);
  });

  test('requests: oversampled per category, slots continue, the total cap holds and is shared', () => {
    const requests = planSynthesisRequests({ Math: 4, Physics: 2 }, () => topics, { Math: 10 }, { ...OPTS, oversample: 1.5, maxTotal: 100 });
    expect(requests.filter((r) => r.category === 'Math').map((r) => r.slot)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(requests.filter((r) => r.category === 'Physics').map((r) => r.slot)).toEqual([0, 1, 2]);
    for (let cap = 1; cap <= 9; cap++) {
      const capped = planSynthesisRequests({ Math: 4, Physics: 2 }, () => topics, {}, { ...OPTS, oversample: 1.5, maxTotal: cap });
      expect(capped.length).toBeLessThanOrEqual(cap);
      expect(capped.length).toBeGreaterThanOrEqual(Math.min(cap, 2) - 0);
    }
  });

  test('deficits: an empty target category gets its share of the target; others are not targets', () => {
    const taxonomy = [
      { name: 'Math', weight: 1 },
      { name: 'Physics', weight: 1 },
      { name: 'Chemistry', weight: 2 },
      { name: 'Others', weight: 0 },
    ];
    expect(synthesisDeficits({ Math: 10 }, taxonomy, 20, new Set(['Physics', 'Chemistry']))).toEqual({ Physics: 5, Chemistry: 10 });
    // Chemistry has no items and is no target: the target is shared by Math and Physics alone.
    expect(synthesisDeficits({ Math: 10, Physics: 5 }, taxonomy, 20, new Set(['Physics']))).toEqual({ Physics: 5 });
    expect(synthesisDeficits({ Math: 10, Physics: 10 }, taxonomy, 20, new Set(['Physics']))).toEqual({});
    // A weight-0 category gets nothing even when named.
    expect(synthesisDeficits({ Math: 10 }, taxonomy, 20, new Set(['Others']))).toEqual({});
    // Sizes add up: targets' quotas plus the others' never exceed the target size.
    for (let size = 0; size < 40; size++) {
      const d = synthesisDeficits({}, taxonomy, size, new Set(['Math', 'Physics', 'Chemistry']));
      expect(Object.values(d).reduce((a, b) => a + b, 0)).toBe(size);
    }
  });
});

describe('diversity metrics', () => {
  test('distinct 3-grams per 1,000 words: all distinct is 1000 * (words - 2) / words, repeats lower it', () => {
    expect(distinctTrigramsPer1000Words(['a b c d e'])).toEqual({ words: 5, perThousand: 600 });
    expect(distinctTrigramsPer1000Words(['a b c', 'a b c']).perThousand).toBeCloseTo(1000 / 6);
    expect(distinctTrigramsPer1000Words([]).perThousand).toBe(0);
  });

  test('mean pairwise ROUGE-L: identical sets score 1 on the diagonal only; disjoint vocabularies score 0', () => {
    expect(meanPairwiseRougeL(['x y z'], ['x y z'], { sampleSize: 10, seed: 1 })).toEqual({ mean: 1, pairs: 1 });
    expect(meanPairwiseRougeL(['a b', 'c d'], ['e f', 'g h'], { sampleSize: 10, seed: 1 }).mean).toBe(0);
    expect(meanPairwiseRougeL([], ['a'], { sampleSize: 10, seed: 1 })).toEqual({ mean: null, pairs: 0 });
    expect(meanPairwiseRougeL(['a', 'b', 'c'], ['a', 'b'], { sampleSize: 2, seed: 1 }).pairs).toBe(4);
  });

  test('the report counts distinct topics', () => {
    const report = diversityReport(
      [
        { instruction: 'Explain levers to a child.', topic: 'levers' },
        { instruction: 'Explain pulleys to a child.', topic: 'pulleys' },
        { instruction: 'Solve a lever problem.', topic: 'levers' },
      ],
      ['What is a lever?'],
      { seed: 1 },
    );
    expect(report.instructions).toBe(3);
    expect(report.distinctTopics).toBe(2);
    expect(report.meanRougeLAgainstPool).toBeGreaterThan(0);
  });
});
