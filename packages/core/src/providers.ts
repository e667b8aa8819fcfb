/** What tapir relies on from an API flavour. */
export interface ProviderTraits {
  /** Hosted APIs always need a key; a local vLLM or the simulator usually does not. */
  needsApiKey: boolean;
  /** Returns prompt log-probabilities (vLLM's /v1/completions with echo and logprobs), which IFD needs. */
  promptLogprobs: boolean;
  /** How the API takes a structured reply: an OpenAI `response_format` JSON schema, or a forced Anthropic tool. */
  structuredReply: 'json_schema' | 'tool';
}

/**
 * The API flavours tapir speaks. The config schema, its example, the provider factory and the API
 * key rules all read this table, so a new flavour is added here (and the factory's switch, which
 * tsc then demands) and nowhere else.
 */
export const PROVIDER_TRAITS = {
  openai: { needsApiKey: true, promptLogprobs: false, structuredReply: 'json_schema' },
  anthropic: { needsApiKey: true, promptLogprobs: false, structuredReply: 'tool' },
  // vLLM (guided decoding), Ollama and most gateways take OpenAI's response_format; those that
  // do not answer 400, and `auto` falls back to text.
  'openai-compatible': { needsApiKey: false, promptLogprobs: true, structuredReply: 'json_schema' },
} as const satisfies Record<string, ProviderTraits>;

export type Provider = keyof typeof PROVIDER_TRAITS;

export const PROVIDERS = Object.keys(PROVIDER_TRAITS) as [Provider, ...Provider[]];

/** The providers that have a trait, in table order. */
export function providersWith(trait: 'needsApiKey' | 'promptLogprobs', value = true): Provider[] {
  return PROVIDERS.filter((p) => PROVIDER_TRAITS[p][trait] === value);
}

/** "a, b or c", for messages and comments that list providers. */
export function inWords(names: readonly string[], conjunction = 'or'): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`;
}
