import { PROVIDER_TRAITS, type Provider } from './providers';

/**
 * `models.*.structuredOutput`: how a role that wants a structured reply (the judge) asks for it.
 * `auto` uses what the provider's API offers (OpenAI's JSON schema `response_format`, Anthropic's
 * forced tool) and falls back to text for the rest of the run when the endpoint rejects it;
 * `json_schema` and `tool` insist (a rejection fails the item with the endpoint's message);
 * `off` asks in text, as Lion did.
 */
export const STRUCTURED_OUTPUT_SETTINGS = ['auto', 'json_schema', 'tool', 'off'] as const;
export type StructuredOutputSetting = (typeof STRUCTURED_OUTPUT_SETTINGS)[number];

/** What one request asks for. */
export type StructuredReplyMode = 'json_schema' | 'tool' | 'text';

/** The mode a setting asks for on a provider, before any rejection is known. */
export function structuredReplyMode(setting: StructuredOutputSetting, provider: Provider): StructuredReplyMode {
  if (setting === 'off') return 'text';
  if (setting === 'auto') return PROVIDER_TRAITS[provider].structuredReply;
  return setting;
}

/** Whether a provider's API can take a mode at all (the config refuses the others, naming the field). */
export function providerTakes(provider: Provider, mode: StructuredReplyMode): boolean {
  return mode === 'text' || PROVIDER_TRAITS[provider].structuredReply === mode;
}

/**
 * Whether an endpoint's 400 says it does not support structured output (so `auto` may fall back to
 * text), as opposed to any other bad request. vLLM, Ollama and gateways word it differently; all
 * name the parameter.
 */
export function rejectsStructuredOutput(status: number | undefined, message: string): boolean {
  if (status !== 400 && status !== 422) return false;
  return /response_format|json_schema|structured output|guided_json|tool_choice|\btools?\b/i.test(message);
}
