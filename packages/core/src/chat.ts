/** Provider-neutral chat message; packages/llm maps it onto the OpenAI and Anthropic shapes. */
export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}
