/**
 * Built-in refinement prompts (docs/method.md, step 10): the teacher re-answers each kept instruction
 * with guidance suited to its task type, and that answer becomes the training target. Changing
 * a template's text changes its version automatically (the version carries a hash of the text).
 */
export type RefineFamily =
  | 'math'
  | 'reasoning'
  | 'code'
  | 'debug'
  | 'format'
  | 'writing'
  | 'roleplay'
  | 'rewrite'
  | 'multilingual'
  | 'safety'
  | 'general';

export interface RefineFamilySpec {
  /** Default-taxonomy categories that use this family; anything unlisted uses 'general'. */
  categories: readonly string[];
  template: string;
}

// The answer is training data: it must read as a direct reply, never as a reply to the guidance.
const DIRECT = 'Write your reply as a direct answer to the request; do not mention these guidelines.';

function template(guidance: string[], label = 'Request'): string {
  return [...guidance, DIRECT, '', `${label}:`, '{instruction}'].join('\n');
}

export const REFINE_FAMILIES: Readonly<Record<RefineFamily, RefineFamilySpec>> = {
  math: {
    categories: ['Math'],
    template: template(
      [
        'Solve the following problem step by step.',
        'Show your work: write out every calculation and say briefly why each step follows from the previous one.',
        'Check the result against the question before you finish.',
        'End with a separate last line of the form "Final answer: <answer>".',
      ],
      'Problem',
    ),
  },
  reasoning: {
    categories: ['Reasoning', 'Common-Sense', 'Counterfactual'],
    template: template([
      'Answer the following question by reasoning step by step.',
      'State the facts and assumptions you rely on, draw each inference explicitly, and consider alternatives where the question is open.',
      'Finish with a clear, one-paragraph conclusion that answers the question.',
    ], 'Question'),
  },
  code: {
    categories: ['Code Generation', 'Computer Science'],
    template: template([
      'Answer the following programming request with complete, runnable code.',
      'Say which language you use (the one requested, or the most suitable one), and put all code in fenced code blocks tagged with the language.',
      'Comment the code where a reader would ask why, not what. Handle edge cases and invalid input sensibly.',
      'After the code, briefly explain how it works and how to run it; for conceptual questions, explain clearly and give a short example.',
    ]),
  },
  debug: {
    categories: ['Code Debug'],
    template: template([
      'Help with the following code problem.',
      'First explain what the bug is and why it causes the wrong behaviour.',
      'Then give the complete corrected code in a fenced code block tagged with the language, with comments on the lines you changed explaining why.',
      'Finish with a short note on how to verify the fix.',
    ]),
  },
  format: {
    categories: ['Complex Format'],
    template: template([
      'Complete the following request, following its requested output format exactly (structure, fields, order, length, and syntax such as JSON, tables or lists).',
      'Output only what the format asks for, with no extra prose before or after it.',
    ]),
  },
  writing: {
    categories: ['Writing', 'Literature'],
    template: template([
      'Complete the following writing request.',
      'Match the requested genre, tone, audience and length; give the text a clear structure and a strong opening and ending.',
      'Use vivid, precise language and keep the content accurate where it touches facts.',
    ]),
  },
  roleplay: {
    categories: ['Roleplay'],
    template: template([
      'Respond to the following request in the requested role or character.',
      'Stay in character, keep the voice consistent, and make the reply engaging and appropriate to the situation.',
    ]),
  },
  rewrite: {
    categories: ['Paraphrase', 'Grammar'],
    template: template([
      'Complete the following rewriting or language task.',
      'Preserve the original meaning exactly unless asked to change it; fix errors carefully and keep the requested style.',
      'Give the rewritten text first; add a brief explanation of the changes only if the request asks for one or the grammar point needs it.',
    ]),
  },
  multilingual: {
    categories: ['Multilingual'],
    template: template([
      'Complete the following request.',
      'Answer in the language the request asks for (or the language it is written in), with natural, idiomatic phrasing.',
      'For translations, keep the meaning, tone and formatting of the source faithfully.',
    ]),
  },
  safety: {
    categories: ['Toxicity'],
    template: template([
      'Respond to the following request helpfully and safely.',
      'If any part of it asks for harmful, hateful or dangerous content, decline that part briefly and without lecturing, explain why, and offer a constructive alternative; help fully with any legitimate part.',
    ]),
  },
  general: {
    categories: [],
    template: template([
      'Answer the following request accurately and helpfully.',
      'Give a well-structured answer: lead with the direct answer, then the explanation, details and examples that a knowledgeable expert would include.',
      'Be precise about facts, and say so where something is uncertain or depends on circumstances.',
    ]),
  },
};
