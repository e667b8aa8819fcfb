import { buildAnswerMessages, buildFollowUpMessages, buildJudgeMessages, refereeQuestion, refinePromptFor } from '@tapir/core';

describe('prompts with a conversation around the instruction', () => {
  test('answer and refine: the system prompt leads when there is one; without one the messages are as before (ledger keys unchanged)', () => {
    expect(buildAnswerMessages('Q?', '', null)).toEqual(buildAnswerMessages('Q?', ''));
    expect(buildAnswerMessages('Q?', '', null)).toEqual([{ role: 'user', content: 'Q?' }]);
    expect(buildAnswerMessages('Q?', 'ctx', 'Be terse.')).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Q?\n\nctx' },
    ]);
    const refine = refinePromptFor('Math');
    expect(refine.build('Q?', '', 'Be terse.')[0]).toEqual({ role: 'system', content: 'Be terse.' });
    expect(refine.build('Q?', '')).toEqual(refine.build('Q?', '', null));
  });

  test('follow-up: system, then every earlier exchange (the first user turn plain, with its input), then the next user turn', () => {
    const messages = buildFollowUpMessages(
      { instruction: 'Capital of France?', input: 'Answer in one word.', system: 'Be terse.' },
      [
        { user: 'ignored: the first turn is the instruction', assistant: 'Paris.' },
        { user: 'And Spain?', assistant: 'Madrid.' },
      ],
      'Which is larger?',
    );
    expect(messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Capital of France?\n\nAnswer in one word.' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'And Spain?' },
      { role: 'assistant', content: 'Madrid.' },
      { role: 'user', content: 'Which is larger?' },
    ]);
    expect(() => buildFollowUpMessages({ instruction: 'Q', input: '' }, [], 'next')).toThrow(/first exchange/);
  });

  test('the referee sees the system prompt after the question, and an item without one reads exactly as before', () => {
    expect(refereeQuestion('Q?', null)).toBe('Q?');
    const withSystem = buildJudgeMessages(refereeQuestion('Q?', 'Be terse.'), 'a', 'b')[1]!.content;
    expect(withSystem).toContain('[Question]\nQ?\n\n(Both assistants were given this system prompt: Be terse.)');
    expect(withSystem.indexOf('[Question]')).toBeLessThan(withSystem.indexOf('Be terse.'));
  });
});
