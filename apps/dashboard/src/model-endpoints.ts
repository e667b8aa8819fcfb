import { campaignConfigSchema } from '@tapir/core';
import { endpointKey } from '@tapir/llm';

export interface ModelEndpoint {
  /** The rate limiter's Redis key for it (provider, base URL and model; never a key). */
  key: string;
  provider: string;
  model: string;
  baseUrl: string;
}

const ROLES = ['teacher', 'student', 'judge'] as const;

/**
 * Every model endpoint the campaigns talk to (each role's model, and each round's registered
 * student), once each, as the workers' rate limiter names them. A config that no longer parses
 * (written by another version) is skipped rather than failing the whole scrape.
 */
export function modelEndpoints(sources: readonly { config: unknown; students: readonly { model: string; baseUrl: string | null }[] }[]): ModelEndpoint[] {
  const found = new Map<string, ModelEndpoint>();
  const add = (provider: string, baseURL: string | undefined, model: string) => {
    const key = endpointKey(provider, baseURL, model);
    if (!found.has(key)) found.set(key, { key, provider, model, baseUrl: baseURL ?? '' });
  };
  for (const source of sources) {
    const parsed = campaignConfigSchema.safeParse(source.config);
    if (!parsed.success) continue;
    const models = parsed.data.models;
    for (const role of ROLES) add(models[role].provider, models[role].baseURL, models[role].model);
    for (const s of source.students) add(models.student.provider, s.baseUrl ?? models.student.baseURL, s.model);
  }
  return [...found.values()].sort((a, b) => a.key.localeCompare(b.key));
}
