import {
  JUDGE_PROMPT_VERSION,
  JUDGE_REPLY_SCHEMA,
  JUDGE_STRUCTURED_PROMPT_VERSION,
  buildJudgeMessages,
  judgePromptVersion,
  parseJudgeScores,
  readJudgeJson,
  rejectsStructuredOutput,
  structuredReplyMode,
} from '@tapir/core';

describe('buildJudgeMessages', () => {
  test('version', () => expect(JUDGE_PROMPT_VERSION).toBe('judge-pairwise@2'));

  test('system message and the exact Lion / Vicuna layout', () => {
    const messages = buildJudgeMessages('Q?', 'A one', 'A two');
    expect(messages).toHaveLength(2);
    expect(messages[0]).toEqual({
      role: 'system',
      content: 'You are a helpful and precise assistant for checking the quality of the answer.',
    });
    expect(messages[1]?.role).toBe('user');
    expect(messages[1]?.content).toBe(
      [
        '[Question]',
        'Q?',
        '',
        "[The Start of Assistant 1's Answer]",
        'A one',
        '',
        "[The End of Assistant 1's Answer]",
        '',
        "[The Start of Assistant 2's Answer]",
        'A two',
        '',
        "[The End of Assistant 2's Answer]",
        '',
        '[System]',
        'We would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.',
        'Please rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.',
        'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.',
      ].join('\n'),
    );
  });

  test('multi-line answers are kept verbatim', () => {
    const content = buildJudgeMessages('Q', 'line1\nline2', '```\ncode\n```')[1]?.content ?? '';
    expect(content).toContain("[The Start of Assistant 1's Answer]\nline1\nline2\n\n[The End of Assistant 1's Answer]");
    expect(content).toContain("[The Start of Assistant 2's Answer]\n```\ncode\n```\n\n[The End of Assistant 2's Answer]");
  });
});

describe('parseJudgeScores accepts', () => {
  test.each<[string, [number, number]]>([
    ['8 7', [8, 7]],
    ['8 7\nAssistant 1 was more detailed.', [8, 7]],
    ['8, 7', [8, 7]],
    ['8,7', [8, 7]],
    ['8.5 7', [8.5, 7]],
    ['7.25 8.75\nexplanation', [7.25, 8.75]],
    ['   8 7   ', [8, 7]],
    ['\n\n8 7\n', [8, 7]],
    ['8\t7', [8, 7]],
    ['10 10', [10, 10]],
    ['0 5', [0, 5]],
    ['1 10', [1, 10]],
    ['Assistant 1: 8\nAssistant 2: 7\n\nBoth were fine.', [8, 7]],
    ['Assistant 1: 8, Assistant 2: 7', [8, 7]],
    ['Assistant 1: 9/10\nAssistant 2: 6/10', [9, 6]],
    ['Scores: 8/10 and 7/10', [8, 7]],
    ['8/10 7/10', [8, 7]],
    ['8 / 10, 7 / 10', [8, 7]],
    ['**8** **7**', [8, 7]],
    ['**Assistant 1:** 8 **Assistant 2:** 7', [8, 7]],
    ['[[8]] [[7]]', [8, 7]],
    ['Rating: [[9]] [[4]]', [9, 4]],
    ['## Scores\n8 7\nexplanation', [8, 7]],
    ['Scores:\n9 3', [9, 3]],
    ['**Ratings**\n7 9', [7, 9]],
    ['```\n8 7\n```\nThe first is better.', [8, 7]],
    ['> 6 8', [6, 8]],
    ['8 and 7 out of 10', [8, 7]],
    ['Assistant 1 receives a score of 8, while Assistant 2 receives 7.', [8, 7]],
    ['Assistant One: 8; Assistant Two: 6', [8, 6]],
    ['Score 1: 8, Score 2: 7', [8, 7]],
    ['{"assistant_1": 8, "assistant_2": 7}', [8, 7]],
    ['8 7 (on a scale of 1 to 10)', [8, 7]],
    ['8-7', [8, 7]],
    ['Score: 8\nScore: 7', [8, 7]],
    ['9\n5\nexplanation follows', [9, 5]],
    ['8 7 - Assistant 2 cannot handle edge cases.', [8, 7]],
    ['8 7\r\nCRLF explanation', [8, 7]],
  ])('%j -> %j', (reply, scores) => {
    expect(parseJudgeScores(reply)).toEqual({ ok: true, scores });
  });
});

describe('parseJudgeScores rejects', () => {
  test.each<[string, RegExp]>([
    ['', /empty reply/],
    ['   \n\n  ', /empty reply/],
    ['8', /found 1/],
    ['Both assistants get 8\nThe answers are similar in quality and detail.', /found 1/],
    ['8 7 6', /found 3/],
    ['1. 8 2. 7', /found 4/],
    ['11 7', /out of range/],
    ['8 12.5', /out of range/],
    ['-1 5', /out of range/],
    ['N/A N/A', /no scores found in first line/],
    ['Assistant 1 gives a thorough and accurate answer, while the other is vague.\n8 7', /no scores found in first line/],
    ["I'm sorry, but I cannot evaluate these answers.", /refusal/],
    ["I'm sorry, I cannot compare Assistant 1 and 2 on a scale of 1 to 10.", /refusal/],
    ['As an AI language model, I cannot rate 2 answers.', /refusal/],
    ['I am unable to provide scores for answers 1 and 2.', /refusal/],
    ['Scores:\nI cannot score these.', /refusal/],
    ['I think both are good.\n8 7', /no scores found in first line: 'I think both are good.'/],
    ['Score: N/A\n[llm-sim] (malformed judge reply)', /no scores found in first line: 'Score: N\/A'/],
    ['As an impartial judge I would rather not assign numeric scores here.', /no scores found/],
    ['The answers are on a scale of 1 to 10 hard to compare', /no scores found/],
    ['Assistant 1: 8\nThe second assistant did not answer at all, giving only a vague reply to the question.', /ambiguous: no score stands beside Assistant 2/],
  ])('%j', (reply, reason) => {
    const result = parseJudgeScores(reply);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  test('reason quotes the line and stays short', () => {
    const long = `no numbers here ${'blah '.repeat(100)}`;
    const result = parseJudgeScores(long);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason.startsWith("no scores found in first line: 'no numbers here")).toBe(true);
      expect(result.reason.length).toBeLessThanOrEqual(120);
    }
  });
});

describe('the structured judge request', () => {
  test('prompt versions name the mode; the text prompt is Lion\'s at its own version', () => {
    expect(judgePromptVersion('text')).toBe('judge-pairwise@2');
    expect(judgePromptVersion('json_schema')).toBe('judge-pairwise-structured@1+json_schema');
    expect(judgePromptVersion('tool')).toBe('judge-pairwise-structured@1+tool');
  });

  test('the schema is pinned to its prompt version: change one, bump the other', () => {
    // The ledger serves a structured reply by prompt version; a schema changed under the same
    // version would be served replies written for the old one.
    expect(JUDGE_STRUCTURED_PROMPT_VERSION).toBe('judge-pairwise-structured@1');
    expect(JSON.stringify(JUDGE_REPLY_SCHEMA)).toBe(
      '{"type":"object","properties":{"assistant_1_score":{"type":"number","description":"Overall score of Assistant 1\'s answer, 1 to 10."},"assistant_2_score":{"type":"number","description":"Overall score of Assistant 2\'s answer, 1 to 10."},"explanation":{"type":"string","description":"A comprehensive explanation of the evaluation."}},"required":["assistant_1_score","assistant_2_score","explanation"],"additionalProperties":false}',
    );
  });

  test('a structured prompt keeps the section markers and asks for the fields instead of the first line', () => {
    const text = buildJudgeMessages('Q', 'A', 'B', 'text')[1]?.content ?? '';
    const structured = buildJudgeMessages('Q', 'A', 'B', 'tool')[1]?.content ?? '';
    expect(structured).toContain("[The Start of Assistant 2's Answer]\nB\n\n[The End of Assistant 2's Answer]");
    expect(structured).toContain('assistant_1_score');
    expect(structured).not.toContain('single line');
    expect(text).toContain('single line');
    expect(buildJudgeMessages('Q', 'A', 'B')).toEqual(buildJudgeMessages('Q', 'A', 'B', 'text'));
  });

  test('structuredReplyMode picks by provider under auto; rejectsStructuredOutput reads only 400s naming the parameter', () => {
    expect(structuredReplyMode('auto', 'openai')).toBe('json_schema');
    expect(structuredReplyMode('auto', 'openai-compatible')).toBe('json_schema');
    expect(structuredReplyMode('auto', 'anthropic')).toBe('tool');
    expect(structuredReplyMode('off', 'anthropic')).toBe('text');
    expect(structuredReplyMode('json_schema', 'openai')).toBe('json_schema');
    expect(rejectsStructuredOutput(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.")).toBe(true);
    expect(rejectsStructuredOutput(400, 'tools: this model does not support tool use')).toBe(true);
    expect(rejectsStructuredOutput(400, 'max_tokens: Input should be greater than or equal to 1')).toBe(false);
    expect(rejectsStructuredOutput(500, 'response_format broke the server')).toBe(false);
  });

  test('readJudgeJson reads scores by name and leaves JSON without score names to the text parser', () => {
    expect(readJudgeJson('{"assistant_1_score": 7, "assistant_2_score": 9, "explanation": "x"}')).toEqual({ ok: true, scores: [7, 9] });
    expect(readJudgeJson('{"explanation": "x", "assistant_2_score": 3, "assistant_1_score": 8}')).toEqual({ ok: true, scores: [8, 3] });
    expect(readJudgeJson('{"scores": [6, 5]}')).toEqual({ ok: true, scores: [6, 5] });
    expect(readJudgeJson('{"assistant_1_score": "8/10", "assistant_2_score": "6"}')).toEqual({ ok: true, scores: [8, 6] });
    expect(readJudgeJson('8 7\nThe code {"a": 1} is fine.')).toBeNull();
    expect(readJudgeJson('no json')).toBeNull();
    expect(readJudgeJson('{"assistant_1_score": 8}')).toMatchObject({ ok: false, reason: expect.stringMatching(/no score for Assistant 2/) });
    expect(readJudgeJson('{"assistant_1_score": 8, "assistant_2_score": null}')).toMatchObject({ ok: false });
    expect(readJudgeJson('{"assistant_1_score": 8, "assistant_1": 7, "assistant_2_score": 6}')).toMatchObject({ ok: false, reason: expect.stringMatching(/2 scores for Assistant 1/) });
    expect(readJudgeJson('{"assistant_1_score": 11, "assistant_2_score": 6}')).toMatchObject({ ok: false, reason: expect.stringMatching(/out of range/) });
  });
});
