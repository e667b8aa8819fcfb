import type { ModelProfile } from './options';

/**
 * Built-in model personalities. The student is weakest exactly where the TAPIR taxonomy puts most
 * curriculum weight (Math, Reasoning, code), so MFD = teacher - student has real spread.
 */
export const BUILT_IN_PROFILES: Readonly<Record<string, ModelProfile>> = {
  'sim-teacher': { quality: 8.5, verbosity: 1.2 },
  'sim-student': {
    quality: 6,
    verbosity: 0.9,
    categoryDelta: {
      Math: -3,
      Reasoning: -2.5,
      'Code Generation': -2.5,
      'Code Debug': -3,
      'Computer Science': -1.5,
      'Complex Format': -1.5,
    },
  },
  'sim-judge': { quality: 8, verbosity: 0.8 },
};

/**
 * Any model name is accepted, because vLLM and Ollama deployments name models freely
 * ("meta-llama/Llama-2-7b-hf", "qwen2:7b"); names without a profile answer like an average model.
 */
export const DEFAULT_PROFILE: Readonly<ModelProfile> = { quality: 6 };

export function resolveProfile(model: string, overrides: Record<string, ModelProfile>): ModelProfile {
  return overrides[model] ?? BUILT_IN_PROFILES[model] ?? DEFAULT_PROFILE;
}

/** Names listed by GET /v1/models: built-ins first, then configured ones. */
export function listedModelNames(overrides: Record<string, ModelProfile>): string[] {
  return [...new Set([...Object.keys(BUILT_IN_PROFILES), ...Object.keys(overrides)])];
}
