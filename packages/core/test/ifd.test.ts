import {
  IFD_PROMPT_VERSION,
  computeIfd,
  createRng,
  ifdPrefix,
  meanNll,
  targetSpanFromPromptLogprobs,
  targetSpanLogprobs,
  type CompletionLogprobs,
  type PromptLogprobsEntry,
} from '@tapir/core';

/** An echoed completion's logprobs for the given token texts; offsets are the running lengths. */
function echoed(pieces: readonly string[], values: readonly (number | null)[]): CompletionLogprobs {
  const text_offset: number[] = [];
  let offset = 0;
  for (const p of pieces) {
    text_offset.push(offset);
    offset += p.length;
  }
  return { tokens: [...pieces], token_logprobs: [...values], text_offset };
}

describe('ifdPrefix (the Alpaca prompt, as Cherry LLM scores)', () => {
  test('without input', () => {
    expect(IFD_PROMPT_VERSION).toBe('ifd-v1');
    expect(ifdPrefix('Name a colour.', '')).toBe(
      'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n' +
        '### Instruction:\nName a colour.\n\n### Response:\n',
    );
  });

  test('with input', () => {
    expect(ifdPrefix('Translate to French.', 'Good morning')).toBe(
      'Below is an instruction that describes a task, paired with an input that provides further context. ' +
        'Write a response that appropriately completes the request.\n\n' +
        '### Instruction:\nTranslate to French.\n\n### Input:\nGood morning\n\n### Response:\n',
    );
  });

  test('an input of only whitespace counts as none', () => {
    expect(ifdPrefix('Name a colour.', ' \n')).toBe(ifdPrefix('Name a colour.', ''));
  });
});

describe('targetSpanLogprobs (echo + logprobs)', () => {
  const prefix = ifdPrefix('Say hi.', '');
  const answer = 'Hi there!';
  // The prefix in three tokens (the first has no logprob), the answer in three, then one generated token.
  const prefixPieces = [prefix.slice(0, 5), prefix.slice(5, prefix.length - 1), prefix.slice(prefix.length - 1)];
  const withInstruction = echoed([...prefixPieces, 'Hi', ' there', '!', ' Bye'], [null, -3, -0.125, -0.25, -1.5, -0.25, -9]);

  test('sums the answer tokens only: after the prefix, before the generated tokens', () => {
    expect(targetSpanLogprobs(withInstruction, prefix.length, prefix.length + answer.length)).toEqual({ tokens: 3, sumLogprob: -2 });
  });

  test('IFD from a hand-made pair of responses equals the formula exactly', () => {
    const sAQ = meanNll(targetSpanLogprobs(withInstruction, prefix.length, prefix.length + answer.length));
    // The answer alone: its first token has no context, so no logprob, and is not counted.
    const alone = echoed(['Hi', ' there', '!', '\n'], [null, -2.5, -0.5, -4]);
    const spanA = targetSpanLogprobs(alone, 0, answer.length);
    expect(spanA).toEqual({ tokens: 2, sumLogprob: -3 });
    const sA = meanNll(spanA);
    expect(sAQ).toBe(2 / 3);
    expect(sA).toBe(1.5);
    expect(computeIfd(sAQ, sA)).toBe(2 / 3 / 1.5);
    expect(computeIfd(sAQ, sA)).toBe((-(-0.25 + -1.5 + -0.25) / 3) / (-(-2.5 + -0.5) / 2));
  });

  test('a token straddling the prefix boundary belongs to the prefix; nulls are skipped', () => {
    const straddling = echoed(['Q:', ' x\nA', ':', ' yes'], [null, -1, -2, -4]);
    // Prefix "Q: x\n" is 5 characters; " x\nA" starts at 2, so the answer starts with ":".
    expect(targetSpanLogprobs(straddling, 5, 10)).toEqual({ tokens: 2, sumLogprob: -6 });
    const withNull = echoed(['a', 'b', 'c'], [-1, null, -2]);
    expect(targetSpanLogprobs(withNull, 0, 3)).toEqual({ tokens: 2, sumLogprob: -3 });
    expect(targetSpanLogprobs(withNull, 3, 3)).toEqual({ tokens: 0, sumLogprob: 0 });
  });

  test('validates its input', () => {
    expect(() => targetSpanLogprobs({ tokens: ['a'], token_logprobs: [], text_offset: [0] }, 0, 1)).toThrow(RangeError);
    expect(() => targetSpanLogprobs(echoed(['a'], [-1]), 2, 1)).toThrow(RangeError);
    expect(() => targetSpanLogprobs(echoed(['a'], [-1]), -1, 1)).toThrow(RangeError);
    expect(() => targetSpanLogprobs(echoed(['a'], [-1]), 0.5, 1)).toThrow(RangeError);
  });

  test('property: the spans of a split prompt add up to the whole', () => {
    const gen = createRng('ifd-span');
    for (let t = 0; t < 200; t++) {
      const pieces = Array.from({ length: 1 + gen.int(30) }, () => 'abcdef'.slice(0, 1 + gen.int(5)));
      const values = pieces.map((_, i) => (i === 0 || gen.int(10) === 0 ? null : -gen.int(64) / 8));
      const lp = echoed(pieces, values);
      const total = pieces.join('').length;
      const cut = gen.int(total + 1);
      const whole = targetSpanLogprobs(lp, 0, total);
      const before = targetSpanLogprobs(lp, 0, cut);
      const after = targetSpanLogprobs(lp, cut, total);
      expect(before.tokens + after.tokens).toBe(whole.tokens);
      expect(before.sumLogprob + after.sumLogprob).toBeCloseTo(whole.sumLogprob, 9);
      expect(whole.tokens).toBe(values.filter((v) => v !== null).length);
    }
  });
});

describe('targetSpanFromPromptLogprobs (vLLM prompt_logprobs)', () => {
  const prefix = 'Q: hi\nA:';
  const target = ' yes no';
  // [text, logprob of the prompt token, a top-1 alternative that is not the prompt token]
  const positions: [string, number, string][] = [
    [':', -0.5, ' is'],
    [' hi', -2, ' hello'],
    ['\n', -0.25, '?'],
    ['A', -1, 'Q'],
    [':', -0.125, ' :'],
    [' yes', -0.75, ' y'], // the alternative " y" also continues the text; the walk must not keep it
    [' no', -1.25, '.'],
  ];
  const entries = (withAlternatives: boolean): PromptLogprobsEntry[] =>
    positions.map(([text, logprob, alternative], i) => {
      const entry: PromptLogprobsEntry = { [String(5000 + i)]: { logprob, rank: 3, decoded_token: text } };
      if (withAlternatives) entry[String(10 + i)] = { logprob: -0.01, rank: 1, decoded_token: alternative };
      return entry;
    });

  test('a BOS token first (null), then the prompt tokens', () => {
    const bos: (PromptLogprobsEntry | null)[] = [null, { '1': { logprob: -0.1, decoded_token: 'Q' } }, ...entries(true)];
    expect(targetSpanFromPromptLogprobs(bos, prefix, target)).toEqual({ tokens: 2, sumLogprob: -2 });
  });

  test('no BOS: the first token of the prompt is the null entry and its text is inferred', () => {
    expect(targetSpanFromPromptLogprobs([null, ...entries(true)], prefix, target)).toEqual({ tokens: 2, sumLogprob: -2 });
    expect(targetSpanFromPromptLogprobs([null, ...entries(false)], prefix, target)).toEqual({ tokens: 2, sumLogprob: -2 });
  });

  test('JSON key order does not matter: integer-like keys come back sorted', () => {
    // vLLM writes the prompt token first; JSON.parse puts "12" before "9001".
    const json = '[null, {"9001": {"logprob": -0.5, "rank": 40, "decoded_token": "b"}, "12": {"logprob": -0.1, "rank": 1, "decoded_token": "x"}}]';
    const parsed = JSON.parse(json) as (PromptLogprobsEntry | null)[];
    expect(Object.keys(parsed[1]!)).toEqual(['12', '9001']);
    expect(targetSpanFromPromptLogprobs(parsed, 'a', 'b')).toEqual({ tokens: 1, sumLogprob: -0.5 });
  });

  test('with an empty prefix the first token is in the span but, having no logprob, not counted', () => {
    const answerOnly: (PromptLogprobsEntry | null)[] = [null, { '7': { logprob: -2, decoded_token: ' there' } }, { '8': { logprob: -1, decoded_token: '!' } }];
    const span = targetSpanFromPromptLogprobs(answerOnly, '', 'Hi there!');
    expect(span).toEqual({ tokens: 2, sumLogprob: -3 });
    expect(meanNll(span)).toBe(1.5);
  });

  test('agrees with the echo path on the same tokens', () => {
    const pieces = ['Q', ...positions.map(([text]) => text)];
    const values = [null, ...positions.map(([, logprob]) => logprob)];
    const viaEcho = targetSpanLogprobs(echoed(pieces, values), prefix.length, prefix.length + target.length);
    expect(targetSpanFromPromptLogprobs([null, ...entries(true)], prefix, target)).toEqual(viaEcho);
  });

  test('tokens that do not spell the prompt are an error', () => {
    expect(() => targetSpanFromPromptLogprobs([null, { '1': { logprob: -1, decoded_token: 'zzz' } }], 'a', 'b')).toThrow(/do not spell the prompt/);
    // Spelling only part of the prompt is not enough.
    expect(() => targetSpanFromPromptLogprobs([null, { '1': { logprob: -1, decoded_token: 'b' } }], 'a', 'bc')).toThrow(/do not spell the prompt/);
    expect(() => targetSpanFromPromptLogprobs([null, { '1': { logprob: -1 } }], 'a', 'b')).toThrow(/decoded_token/);
    expect(() => targetSpanFromPromptLogprobs([null, null], 'a', 'b')).toThrow(/only the first entry/);
  });
});

describe('meanNll and computeIfd', () => {
  test('meanNll = -sumLogprob / tokens', () => {
    expect(meanNll({ tokens: 4, sumLogprob: -2 })).toBe(0.5);
    expect(() => meanNll({ tokens: 0, sumLogprob: 0 })).toThrow(RangeError);
  });

  test('IFD = s(A|Q) / s(A); s(A) must be positive and finite', () => {
    expect(computeIfd(0.6, 1.2)).toBe(0.5);
    expect(computeIfd(1.5, 1)).toBe(1.5);
    for (const bad of [0, -1, NaN, Infinity]) expect(() => computeIfd(1, bad)).toThrow(RangeError);
    expect(() => computeIfd(NaN, 1)).toThrow(RangeError);
  });
});
