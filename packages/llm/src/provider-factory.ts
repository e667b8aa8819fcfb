import { PROVIDER_TRAITS } from '@tapir/core';
import type { ChatProvider, EndpointConfig } from './endpoint';
import { LlmError } from './llm-error';
import { AnthropicProvider } from './providers/anthropic-provider';
import { OpenAIProvider } from './providers/openai-provider';

/**
 * Resolves the API key from the environment variable the config names. The key lives only in
 * this process's memory and the SDK client; it is never part of a cache key, a row or a log.
 */
export function resolveApiKey(endpoint: EndpointConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (!endpoint.apiKeyEnv) {
    if (!PROVIDER_TRAITS[endpoint.provider].needsApiKey) return 'EMPTY'; // vLLM's convention for "no key"
    throw new LlmError('missing_api_key', `provider ${endpoint.provider} needs apiKeyEnv in the config`);
  }
  const key = env[endpoint.apiKeyEnv];
  if (!key) {
    throw new LlmError(
      'missing_api_key',
      `environment variable ${endpoint.apiKeyEnv} is not set (it holds the API key for model ${endpoint.model})`,
    );
  }
  return key;
}

export function createProvider(endpoint: EndpointConfig, env: NodeJS.ProcessEnv = process.env): ChatProvider {
  const apiKey = resolveApiKey(endpoint, env);
  // A switch without default: a provider added to core's table fails tsc here until it has a client.
  switch (endpoint.provider) {
    case 'anthropic':
      return new AnthropicProvider(endpoint.model, endpoint.baseURL, apiKey, endpoint.timeoutMs);
    case 'openai':
    case 'openai-compatible':
      return new OpenAIProvider(endpoint.provider, endpoint.model, endpoint.baseURL, apiKey, endpoint.timeoutMs);
  }
}
