export * from './endpoint';
export * from './llm-error';
export * from './provider-factory';
export * from './pricing';
export * from './cache-key';
export { OpenAIProvider } from './providers/openai-provider';
export { AnthropicProvider } from './providers/anthropic-provider';
export * from './rate-limit';
