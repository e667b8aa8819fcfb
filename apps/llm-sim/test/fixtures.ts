import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../src';

/** A simulator on a random port; SDK retries off unless a test asks for them, so errors surface as-is. */
export async function startTestSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, ...opts });
}

export function openaiClient(sim: RunningSimulator, extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
  return new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0, ...extra });
}

export function anthropicClient(sim: RunningSimulator, extra: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}): Anthropic {
  return new Anthropic({ apiKey: 'sk-ant-test', baseURL: sim.url, maxRetries: 0, ...extra });
}

/** The Lion referee prompt (YJiangcm/Lion src/chatgpt_referee.py), as tapir sends it. */
export function lionJudgePrompt(question: string, answer1: string, answer2: string): string {
  return (
    `[Question]\n${question}\n\n` +
    `[The Start of Assistant 1's Answer]\n${answer1}\n\n[The End of Assistant 1's Answer]\n\n` +
    `[The Start of Assistant 2's Answer]\n${answer2}\n\n[The End of Assistant 2's Answer]\n\n` +
    '[System]\nWe would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\n' +
    'Please rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\n' +
    'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. ' +
    'In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.'
  );
}

/** FastChat MT-bench single-answer grading prompt (judge_prompts.jsonl, "single-v1"). */
export function mtBenchPrompt(question: string, answer: string): string {
  return (
    '[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. ' +
    'Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".\n\n' +
    `[Question]\n${question}\n\n[The Start of Assistant's Answer]\n${answer}\n[The End of Assistant's Answer]`
  );
}

export const TAXONOMY = [
  'Math', 'Reasoning', 'Code Generation', 'Code Debug', 'Others', 'Writing', 'Computer Science', 'Complex Format',
  'Common-Sense', 'Counterfactual', 'Multilingual', 'Roleplay', 'Biology', 'Technology', 'Ethics', 'Sport', 'Law',
  'Medicine', 'Literature', 'Entertainment', 'Art', 'Music', 'Toxicity', 'Economy', 'Physics', 'History',
  'Chemistry', 'Philosophy', 'Health', 'Ecology', 'Grammar', 'Paraphrase',
];

/** A zero-shot "data annotation expert" prompt in the EasyDistill style. */
export function classifyPrompt(instruction: string, categories: readonly string[] = TAXONOMY): string {
  return (
    'You are a data annotation expert. Classify the instruction into exactly one task category.\n' +
    `Categories:\n${categories.map((c) => `- ${c}`).join('\n')}\n\n` +
    `<instruction>\n${instruction}\n</instruction>\n\n` +
    'Think briefly, then give the category name inside <answer></answer>.'
  );
}

/** Lion's parser: the first line holds two numbers. */
export function parseTwoScores(reply: string): [number, number] | null {
  const parts = (reply.split('\n')[0] ?? '').trim().split(/[\s,]+/);
  if (parts.length !== 2) return null;
  const scores = parts.map(Number);
  return scores.every((s) => Number.isFinite(s)) ? [scores[0] as number, scores[1] as number] : null;
}

/** WizardLM's in-breadth evolving prompt, as tapir sends it to have the teacher create an instruction. */
export function instructionCreatorPrompt(seedInstruction: string): string {
  return (
    'I want you to act as an Instruction Creator.\n' +
    'Your goal is to draw inspiration from the #Given Instruction# to create a brand new instruction.\n' +
    'This new instruction should belong to the same domain and the same task type as the #Given Instruction#.\n' +
    'The LENGTH and difficulty level of the #Created Instruction# should be similar to that of the #Given Instruction#.\n' +
    'The content of the #Created Instruction# should be different from that of the #Given Instruction#.\n' +
    'The #Created Instruction# must be reasonable and must be understood and responded to by humans.\n' +
    "'#Given Instruction#', '#Created Instruction#', 'given instruction' and 'created instruction' are not allowed to appear in #Created Instruction#.\n\n" +
    `#Given Instruction#:\n${seedInstruction}\n\n#Created Instruction#:\n`
  );
}

/** The Alpaca prompt prefix tapir puts before an answer to score s(A|Q) for IFD. */
export function alpacaPrefix(instruction: string, input?: string): string {
  return input === undefined
    ? 'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n' +
        `### Instruction:\n${instruction}\n\n### Response:\n`
    : 'Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n\n' +
        `### Instruction:\n${instruction}\n\n### Input:\n${input}\n\n### Response:\n`;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
