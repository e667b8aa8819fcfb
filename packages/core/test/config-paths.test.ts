import { parseCampaignConfig, withConfigPathsFrom } from '../src';

const MODELS = `models:
  teacher: { provider: openai, model: t, apiKeyEnv: K }
  student: { provider: openai-compatible, model: s, baseURL: http://127.0.0.1:1/v1 }
  judge: { provider: openai, model: j, apiKeyEnv: K }
`;

describe('config file paths', () => {
  test('benchmark files, the flagged-word list and the topic list are read from the config file folder; bundled names and absolute paths stay', () => {
    const config = parseCampaignConfig(
      `${MODELS}clean:
  decontaminate: { benchmarks: [mt-bench, evals/my-bench.jsonl, /data/other.json] }
  quality: { flaggedWordsFile: lists/flagged.txt }
synthesis: { enabled: true, topics: ../topics.txt }
`,
      'campaign.yaml',
    );
    const resolved = withConfigPathsFrom(config, '/home/me/project/configs');
    expect(resolved.clean.decontaminate.benchmarks).toEqual(['mt-bench', '/home/me/project/configs/evals/my-bench.jsonl', '/data/other.json']);
    expect(resolved.clean.quality.flaggedWordsFile).toBe('/home/me/project/configs/lists/flagged.txt');
    expect(resolved.synthesis?.topics).toBe('/home/me/project/topics.txt');
    // Everything else is the config as parsed.
    expect({ ...resolved, clean: config.clean, synthesis: config.synthesis }).toEqual(config);
  });

  test('a config naming no files is unchanged', () => {
    const config = parseCampaignConfig(MODELS, 'campaign.yaml');
    expect(withConfigPathsFrom(config, '/anywhere')).toEqual(config);
  });
});
