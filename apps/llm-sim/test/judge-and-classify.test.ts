import type OpenAI from 'openai';
import type { RunningSimulator } from '../src';
import { classifyPrompt, lionJudgePrompt, mtBenchPrompt, openaiClient, parseTwoScores, startTestSimulator } from './fixtures';

const MATH_PROMPTS = [
  'Calculate 17 * 23 + 5.',
  'Solve the equation 3x + 7 = 22 for x.',
  'What is the derivative of x^3 + 2x?',
  'A train travels 120 km in 1.5 hours. Compute its average speed.',
  'What is the probability of rolling two sixes with two dice?',
  'Find the area of a circle with radius 4.',
];

describe('simulated judge and annotator', () => {
  let sim: RunningSimulator;
  let client: OpenAI;
  beforeAll(async () => {
    sim = await startTestSimulator();
    client = openaiClient(sim);
  });
  afterAll(() => sim.close());

  async function chat(model: string, content: string): Promise<string> {
    const completion = await client.chat.completions.create({ model, temperature: 0.2, messages: [{ role: 'user', content }] });
    return completion.choices[0]?.message.content ?? '';
  }

  async function judge(question: string, a1: string, a2: string): Promise<[number, number]> {
    const scores = parseTwoScores(await chat('sim-judge', lionJudgePrompt(question, a1, a2)));
    if (scores === null) throw new Error('judge reply did not parse');
    return scores;
  }

  test('the judge answers a Lion prompt with two scores, then an explanation', async () => {
    const reply = await chat('sim-judge', lionJudgePrompt('What is 2+2?', 'It is 4, because 2+2=4.', 'Maybe 5.'));
    const lines = reply.split('\n');
    expect(lines[0]).toMatch(/^\d{1,2} \d{1,2}$/);
    expect(lines[1]).toMatch(/^\[llm-sim:sim-judge\] /);
    const scores = parseTwoScores(reply);
    expect(scores).not.toBeNull();
    for (const s of scores ?? []) expect(s).toBeGreaterThanOrEqual(1);
    for (const s of scores ?? []) expect(s).toBeLessThanOrEqual(10);
  });

  test('the student is weaker than the teacher on Math: swapped-average MFD >= 1 on every prompt', async () => {
    for (const question of MATH_PROMPTS) {
      const teacher = await chat('sim-teacher', question);
      const student = await chat('sim-student', question);
      const [t1, s1] = await judge(question, teacher, student);
      const [s2, t2] = await judge(question, student, teacher);
      const mfd = (t1 + t2) / 2 - (s1 + s2) / 2;
      expect(mfd).toBeGreaterThanOrEqual(1);
    }
  });

  test('the judge reads the quality marker, so scores track it within noise and position bias', async () => {
    const answer = (q: string) => `[llm-sim:x] Simulated answer (quality ${q}/10, category Math). Text.`;
    const [a, b] = await judge('Q?', answer('9.0'), answer('3.0'));
    expect(a).toBeGreaterThanOrEqual(9);
    expect(b).toBeGreaterThanOrEqual(3);
    expect(b).toBeLessThanOrEqual(4);
  });

  test('position bias favours Assistant 1 on average over identical answers', async () => {
    let first = 0;
    let second = 0;
    for (let i = 0; i < 30; i++) {
      const same = `[llm-sim:x] Simulated answer (quality 6.${i % 10}/10, category Others). Variant ${i}.`;
      const [a, b] = await judge(`Question number ${i}?`, same, same);
      first += a;
      second += b;
    }
    expect(first).toBeGreaterThan(second);
  });

  test('real (unmarked) answers are scored by length, structure, relevance and refusals', async () => {
    const question = 'Give three tips for staying healthy.';
    const good =
      'Here are three tips for staying healthy:\n\n1. Eat a balanced diet with plenty of fruits and vegetables.\n' +
      '2. Exercise regularly, at least 30 minutes a day, to keep your body active and strong.\n' +
      '3. Get enough sleep: adults need seven to nine hours per night for staying healthy.\n\n' +
      'Together these habits support long-term health and wellbeing.';
    const refusal = "I'm sorry, as an AI language model I cannot help with that.";
    const [g, r] = await judge(question, good, refusal);
    expect(g).toBeGreaterThanOrEqual(r + 3);
  });

  test('MT-bench single-answer grading replies with Rating: [[N]]', async () => {
    const strong = await chat('sim-judge', mtBenchPrompt('Solve 2x = 10.', '[llm-sim:t] Simulated answer (quality 9.2/10, category Math).'));
    expect(strong).toMatch(/Rating: \[\[(9|10)\]\]$/);
    const weak = await chat('sim-judge', mtBenchPrompt('Solve 2x = 10.', '[llm-sim:s] Simulated answer (quality 2.1/10, category Math).'));
    expect(weak).toMatch(/Rating: \[\[[1-3]\]\]$/);
  });

  test('MT-bench pairwise (pair-v2) prompts get an [[A]] / [[B]] / [[C]] verdict', async () => {
    const pair = (a: string, b: string) =>
      `[User Question]\nSolve 2x = 10.\n\n[The Start of Assistant A's Answer]\n${a}\n[The End of Assistant A's Answer]\n\n` +
      `[The Start of Assistant B's Answer]\n${b}\n[The End of Assistant B's Answer]`;
    const strong = '[llm-sim:t] Simulated answer (quality 9.0/10, category Math).';
    const weak = '[llm-sim:s] Simulated answer (quality 3.0/10, category Math).';
    expect(await chat('sim-judge', pair(strong, weak))).toMatch(/\[\[A\]\]$/);
    expect(await chat('sim-judge', pair(weak, strong))).toMatch(/\[\[B\]\]$/);
  });

  test.each([
    ['What is 345 + 789?', 'Math'],
    ['Solve for x: 2x + 3 = 11', 'Math'],
    ['Write a Python function to check whether a number is prime.', 'Code Generation'],
    ['Fix this code, it throws an error:\n```python\ndef f(x) return x+1\n```', 'Code Debug'],
    ['Translate "good morning" into French.', 'Multilingual'],
    ['Write a poem about autumn leaves.', 'Writing'],
    ['Pretend you are a pirate and greet me.', 'Roleplay'],
    ['What if the Roman Empire had never fallen?', 'Counterfactual'],
    ['Paraphrase this sentence: The cat sat on the mat.', 'Paraphrase'],
    ['Return the list of planets as JSON.', 'Complex Format'],
    ['Solve this riddle: what has keys but cannot open locks?', 'Reasoning'],
  ])('classifies %j as %s', async (instruction, expected) => {
    const reply = await chat('sim-teacher', classifyPrompt(instruction));
    expect(reply).toMatch(/^\[llm-sim:sim-teacher\] /);
    expect(/<answer>(.*?)<\/answer>/.exec(reply)?.[1]).toBe(expected);
  });

  test('the label is restricted to the categories offered', async () => {
    const reply = await chat('sim-teacher', classifyPrompt('Write a poem about autumn.', ['Math', 'Others']));
    expect(reply).toContain('<answer>Others</answer>');
    const inline = await chat('sim-teacher', 'Categories: Math, Music\n<instruction>Compute 3*9</instruction>\nAnswer in <answer></answer>.');
    expect(inline).toContain('<answer>Math</answer>');
  });

  test('judge and classify prompts also work when the rubric sits in the system message', async () => {
    const completion = await client.chat.completions.create({
      model: 'sim-judge',
      messages: [
        { role: 'system', content: 'You are a data annotation expert.\nCategories:\n- Math\n- Writing\n- Others\nReply with <answer></answer>.' },
        { role: 'user', content: '<instruction>Write a short story about a fox.</instruction>' },
      ],
    });
    expect(completion.choices[0]?.message.content).toContain('<answer>Writing</answer>');
  });
});
