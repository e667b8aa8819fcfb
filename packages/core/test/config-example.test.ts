import { DEFAULT_HARD_SHARE, DEFAULT_MAX_REPEATS, exampleConfigYaml, parseCampaignConfig } from '@tapir/core';

describe('exampleConfigYaml', () => {
  test('parses and points at the simulator', () => {
    const c = parseCampaignConfig(exampleConfigYaml(), 'campaign.yaml');
    expect(c.models.teacher).toMatchObject({
      provider: 'openai',
      model: 'sim-teacher',
      baseURL: 'http://127.0.0.1:8787/v1',
      apiKeyEnv: 'TAPIR_SIM_KEY',
    });
    expect(c.models.student).toMatchObject({ provider: 'openai-compatible', model: 'sim-student', baseURL: 'http://127.0.0.1:8787/v1' });
    expect(c.models.judge).toMatchObject({
      provider: 'anthropic',
      model: 'sim-judge',
      baseURL: 'http://127.0.0.1:8787',
      apiKeyEnv: 'TAPIR_SIM_KEY',
      temperature: 0.2,
    });
    expect(c.taxonomy.categories).toHaveLength(32);
    expect(c.rebalance).toEqual({ maxRepeats: DEFAULT_MAX_REPEATS });
  });

  test('model role comments: the judge classifies, the teacher does not', () => {
    const text = exampleConfigYaml();
    const commentAbove = (role: string) => {
      const lines = text.split('\n');
      const at = lines.indexOf(`  ${role}:`);
      const out: string[] = [];
      for (let i = at - 1; i >= 0 && lines[i]!.startsWith('  #'); i--) out.unshift(lines[i]!);
      return out.join(' ');
    };
    expect(commentAbove('teacher')).toContain('The teacher answers and refines');
    expect(commentAbove('teacher')).not.toMatch(/classif/i);
    expect(commentAbove('judge')).toMatch(/judge classifies instructions/);
    expect(commentAbove('judge')).toMatch(/scores teacher vs student/);
  });

  test('maxRepeats is explained: memorisation, and more data as the better fill', () => {
    const text = exampleConfigYaml();
    expect(text).toContain('  maxRepeats: 3');
    const block = text.slice(text.indexOf('rebalance:'), text.indexOf('  maxRepeats: 3'));
    expect(block).toMatch(/memorise/);
    expect(block).toMatch(/more\s+(#\s+)?data or expansion/);
  });

  test('rounds, expansion and difficulty are documented with their defaults', () => {
    const text = exampleConfigYaml();
    const c = parseCampaignConfig(text, 'campaign.yaml');
    expect(c.rounds).toEqual({ count: 3, hardShare: [...DEFAULT_HARD_SHARE] });
    expect(c.expansion).toEqual({ enabled: false, temperature: 1, oversample: 1.5, maxPerRound: 1000, maxPasses: 2, minWords: 4, maxRougeL: 0.7 });
    expect(c.difficulty).toEqual({ signal: 'mfd', combine: 'and', ifd: { delta: 0.75, max: 1 } });
    // easyShare is shown commented out: set, it would override the rounds schedule.
    expect(c.selection).toEqual({ delta: 1 });
    expect(text).toContain('  # easyShare: 0.3');
    expect(text).toMatch(/last value repeats/);
    expect(text).toMatch(/openai-compatible/);
    const uncommented = text.replace('  # easyShare: 0.3', '  easyShare: 0.3');
    expect(parseCampaignConfig(uncommented, 'campaign.yaml').selection.easyShare).toBe(0.3);
  });

  test('custom simulator URL', () => {
    const c = parseCampaignConfig(exampleConfigYaml({ simulatorURL: 'http://sim:9000/' }), 'campaign.yaml');
    expect(c.models.teacher.baseURL).toBe('http://sim:9000/v1');
    expect(c.models.judge.baseURL).toBe('http://sim:9000');
  });

  test('every setting line is commented', () => {
    const lines = exampleConfigYaml().split('\n');
    lines.forEach((line, i) => {
      const isSetting = /^\s*[A-Za-z]+:/.test(line) && !/^\s*(models|teacher|student|judge|selection|rebalance|curriculum|refine|dedup|decontaminate|quality|embeddings):\s*$/.test(line);
      if (isSetting) expect([i + 1, lines[i - 1]?.trim().startsWith('#')]).toEqual([i + 1, true]);
    });
  });

  test('uncommenting the taxonomy example still parses', () => {
    const text = exampleConfigYaml()
      .split('\n')
      .map((l) => (/^# (taxonomy:|  categories:|    - \{)/.test(l) ? l.slice(2) : l))
      .join('\n');
    const c = parseCampaignConfig(text, 'campaign.yaml');
    expect(c.taxonomy.categories.map((x) => x.name)).toEqual(['Math', 'Reasoning', 'Code Generation', 'Others']);
  });
});
