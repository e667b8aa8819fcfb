/**
 * llm-sim: a local stand-in for the OpenAI Chat Completions, OpenAI (vLLM) Completions and
 * Anthropic Messages APIs, so that tapir's tests, demo and benchmarks exercise the real SDKs over
 * real HTTP.
 *
 * Endpoints: POST /v1/chat/completions, POST /v1/completions, POST /v1/messages,
 * POST /v1/messages/count_tokens, GET /v1/models[/id] (Anthropic shape when the request carries
 * anthropic-version), GET /health, GET /sim/stats, GET /sim/requests (the request journal: model,
 * kind, max_tokens and finish of the latest requests), GET|POST /sim/config, POST /sim/reset-stats,
 * POST /sim/outage {downMs} (refuse connections for a while), POST /sim/keys {revoke|restore} (401 for a key).
 *
 * What a chat request gets back depends on the prompt, not the model name: a Lion/Vicuna pairwise
 * judge prompt gets "<s1> <s2>" + explanation, an MT-bench prompt gets "Rating: [[N]]" (or [[A]]/
 * [[B]]/[[C]] for pairwise), a "Categories: ... <instruction>" prompt gets "<answer>Name</answer>",
 * an Instruction Creator prompt ("#Given Instruction#:" ... "#Created Instruction#:") gets a new
 * instruction of the seed's category, and anything else is answered as an instruction with a
 * readable `quality X.Y/10` marker; a prompt holding `[llm-sim:answer-tokens=N]` gets an answer of at
 * least N tokens, cut at max_tokens (finish_reason 'length', stop_reason 'max_tokens') as any is.
 * A pairwise referee marks down an answer that ends with a bracketed "cut off" note. /v1/completions continues a prompt and, with echo and
 * logprobs (or vLLM's prompt_logprobs), scores it so that Cherry LLM's IFD of an answer after an
 * Alpaca prefix equals expectedIfd(profile, model, instruction).
 * Any model name is accepted; names without a profile behave like an average model (quality 6).
 * /sim/stats `wire` counts what was billed per request key (the exact body) and what is on the
 * wire now, so that a test can tell how many requests a provider answered twice.
 */
export { startSimulator, type RunningSimulator } from './server';
export type { SimulatorOptions, ModelProfile, RateLimit, FaultOptions } from './options';
export type { SimulatorStats, ModelStats } from './stats';
export type { JournalEntry } from './request-journal';
export type { WireStats } from './billing-recorder';
export { BUILT_IN_PROFILES, DEFAULT_PROFILE } from './model-profiles';
export { TASK_CATEGORIES, type TaskCategory } from './task-keywords';
export { classifyInstruction } from './task-classifier';
export { countTextTokens } from './tokens';
export { expectedIfd } from './logprob-model';
export { alpacaPrefix } from './alpaca-prompt';
export { fineTunedProfile, DEFAULT_TRAINING_GAIN } from './fine-tuning';
export { embedText, DEFAULT_EMBEDDING_DIMENSIONS } from './embedding-model';
export { rateInstruction, parseQualityRatingPrompt } from './quality-rating';
