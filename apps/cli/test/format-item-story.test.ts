import type { ItemStory } from '@tapir/pipeline';
import { formatItemStory } from '../src/format-item-story';

const story: ItemStory = {
  campaign: { id: 'c1', name: 'demo', currentRound: 2 },
  item: {
    id: 7,
    key: 'ab12',
    origin: 'seed',
    status: 'judged',
    failStep: 'refine',
    failReason: 'context_length: prompt too long',
    instruction: 'Solve 3x + 7 = 22.',
    input: '',
    source: { file: 'pool.jsonl', line: 12 },
    duplicatesInFile: 1,
  },
  category: { label: 'Math', source: 'classifier', classifyCallIds: [3] },
  expansion: null,
  synthesis: null,
  conversation: { system: null, followUps: [] },
  answers: [
    { kind: 'teacher', round: 0, source: 'import', model: null, promptVersion: null, callId: null, finishReason: null, text: 'x = 5' },
    { kind: 'student', round: 1, source: 'llm', model: 'sim-student', promptVersion: 'answer@1', callId: 9, finishReason: 'length', text: 'x is\n\nmaybe 4' },
  ],
  judgments: [
    {
      round: 1,
      judgeModel: 'sim-judge',
      promptVersion: 'judge-pairwise@1',
      teacherScore: 8.5,
      studentScore: 4,
      mfd: 4.5,
      forward: { teacher: 8, student: 4, replies: [{ callId: 10, text: 'I cannot tell' }, { callId: 12, text: '8 4' }] },
      swapped: { teacher: 9, student: 4, replies: [{ callId: null, text: '4 9' }] },
    },
  ],
  ifd: [],
  plan: [
    {
      rowId: 'c1:r1:s3:ab12:0',
      round: 1,
      stage: 3,
      repeatIndex: 0,
      position: 40,
      category: 'Math',
      mfd: 4.5,
      ifd: null,
      difficulty: 4.5,
      hard: true,
      refineStatus: 'failed',
      stageDifficulty: { min: 3, max: 6, rows: 20 },
    },
  ],
  calls: [{ id: 10, role: 'judge', purpose: 'judge', model: 'sim-judge', promptVersion: 'judge-pairwise@1', status: 'served', finishReason: 'stop', servedFromCallId: 2, error: null }],
};

describe('tapir show as text', () => {
  const text = formatItemStory(story);

  test('says where the item came from, who labelled it and why it failed', () => {
    expect(text).toContain('campaign c1 (demo), item 7: seed, judged');
    expect(text).toContain('failed at refine: context_length: prompt too long');
    expect(text).toContain('source: pool.jsonl:12 (and 1 duplicate row(s) in the file)');
    expect(text).toContain('category: Math (labelled by the classifier, call 3)');
  });

  test('prints each answer whole, its blank lines marked as its own, with its call and finish reason', () => {
    expect(text).toContain('  teacher (all rounds): imported with the pool\n    | x = 5');
    expect(text).toContain('  student (round 1): sim-student, answer@1, call 9, finish length\n    | x is\n    | \n    | maybe 4');
  });

  test('shows both judge orders with every reply, the re-asked one marked, and a call not kept', () => {
    expect(text).toContain('round 1: MFD 4.5 (teacher 8.5, student 4)');
    expect(text).toContain('forward order (teacher first): teacher 8, student 4\n      reply 1 (did not parse, asked again), call 10:\n        | I cannot tell\n      reply 2, call 12:\n        | 8 4');
    expect(text).toContain('swapped order (student first): teacher 9, student 4\n      reply 1, call ? (not kept before 2026-12-04):');
  });

  test('answers "why stage 3": the row beside the difficulty range of its stage', () => {
    expect(text).toContain('round 1, stage 3, repeat 0: difficulty 4.5 (hard), stage 3 spans 3..6 over 20 rows; Math; refinement failed');
    expect(text).toContain('row id c1:r1:s3:ab12:0');
    expect(text).toContain('10  judge judge  sim-judge  judge-pairwise@1  served (stop) (served from call 2)');
  });
});
