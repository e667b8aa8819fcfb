/** The tiktoken encodings of OpenAI's chat models that js-tiktoken ships. */
export type OpenAiEncoding = 'o200k_base' | 'cl100k_base';

// Most specific first: gpt-4o is also a gpt-4 name.
const ENCODING_BY_FAMILY: readonly [RegExp, OpenAiEncoding][] = [
  [/^(chatgpt-)?gpt-4o(-|$)/, 'o200k_base'],
  [/^gpt-4\.(1|5)(-|$)/, 'o200k_base'],
  [/^gpt-5(\.\d+)?(-|$)/, 'o200k_base'],
  [/^gpt-oss(-|$)/, 'o200k_base'],
  [/^o[134](-|$)/, 'o200k_base'],
  [/^gpt-4(-|$)/, 'cl100k_base'],
  [/^gpt-3\.5(-|$)/, 'cl100k_base'],
];

/**
 * The encoding OpenAI's tokenizer uses for a model, by its name (dated snapshots included), or
 * undefined for a model that is not an OpenAI chat model. Only the name decides: a vLLM server
 * that calls its model gpt-4o gets o200k counts, which is what such a name promises.
 */
export function openAiEncodingFor(model: string): OpenAiEncoding | undefined {
  const name = model.trim().toLowerCase().replace(/^openai\//, '');
  return ENCODING_BY_FAMILY.find(([family]) => family.test(name))?.[1];
}
