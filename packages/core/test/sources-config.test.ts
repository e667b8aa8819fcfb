import { parseCampaignConfig } from '@tapir/core';

const base = `models:
  teacher: { provider: openai-compatible, model: t, baseURL: http://x/v1 }
  student: { provider: openai-compatible, model: s, baseURL: http://x/v1 }
  judge: { provider: openai-compatible, model: j, baseURL: http://x/v1 }
`;
const parse = (sources: string) => parseCampaignConfig(`${base}sources:\n${sources}`, 'c.yaml');

describe('sources: config section', () => {
  test('a full entry parses, with format defaulting to auto', () => {
    const config = parse(`  - { name: alpaca, file: a.jsonl.gz, weight: 2, minShare: 0.2, maxShare: 0.8, maxRows: 100, split: train, columns: { instruction: prompt, output: response } }
  - { name: dolly, file: d/, weight: 1 }
`);
    expect(config.sources).toEqual([
      { name: 'alpaca', file: 'a.jsonl.gz', format: 'auto', weight: 2, minShare: 0.2, maxShare: 0.8, maxRows: 100, split: 'train', columns: { instruction: 'prompt', output: 'response' } },
      { name: 'dolly', file: 'd/', format: 'auto', weight: 1 },
    ]);
  });

  test.each([
    ['weights on some sources only', '  - { name: a, file: a, weight: 1 }\n  - { name: b, file: b }\n', /sources\[1\]\.weight: give every source a weight, or none/],
    ['a name used twice', '  - { name: a, file: a }\n  - { name: A, file: b }\n', /sources\[1\]\.name: "A" is already the name of source 1/],
    ['minShare above maxShare', '  - { name: a, file: a, minShare: 0.6, maxShare: 0.5 }\n', /sources\[0\]\.minShare: expected at most maxShare \(0\.5\)/],
    ['minShares over 1', '  - { name: a, file: a, minShare: 0.6 }\n  - { name: b, file: b, minShare: 0.6 }\n', /minShare add up to 1\.2, more than 1/],
    ['maxShares under 1', '  - { name: a, file: a, maxShare: 0.3 }\n  - { name: b, file: b, maxShare: 0.3 }\n', /maxShare add up to 0\.6, less than 1/],
    ['an unknown column field', '  - { name: a, file: a, columns: { prompt: x } }\n', /sources\[0\]\.columns\.prompt: unknown key \"prompt\" \(allowed here: instruction, input, output/],
    ['a name with a space', '  - { name: my set, file: a }\n', /sources\[0\]\.name: expected a name of letters/],
    ['maxRows 0', '  - { name: a, file: a, maxRows: 0 }\n', /sources\[0\]\.maxRows: expected an integer >= 1/],
  ])('%s is an error naming the field', (_, sources, message) => {
    expect(() => parse(sources)).toThrow(message);
  });
});
