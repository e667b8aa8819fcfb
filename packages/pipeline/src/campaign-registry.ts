import { campaignConfigSchema, type CampaignConfig, type ModelRole, type ModelRoleConfig } from '@tapir/core';
import { campaigns, rounds, type Db } from '@tapir/db';
import { createProvider, endpointKey, modelFacts, type ChatProvider, type Price } from '@tapir/llm';
import { and, eq } from 'drizzle-orm';
import { ConcurrencyLimiter } from './concurrency-limiter';

export interface RoleEndpoint {
  role: ModelRole;
  settings: ModelRoleConfig;
  provider: ChatProvider;
  /** Identity of the endpoint for the shared rate limiter (provider, base URL, model). */
  endpointKey: string;
  price: Price | undefined;
  /** The model's context size: models.<role>.contextTokens, else the price list's; unknown for most local models. */
  context: { tokens: number; from: 'config' | 'price list' } | undefined;
  limiter: ConcurrencyLimiter;
}

export interface CampaignRuntime {
  id: string;
  config: CampaignConfig;
  endpoint(role: ModelRole, round: number): Promise<RoleEndpoint>;
}

/**
 * Per-process cache of campaign configs and model clients. A campaign's config does not change
 * once created; only the student can change between rounds, so endpoints are cached per
 * (role, model, base URL).
 */
export class CampaignRegistry {
  private readonly runtimes = new Map<string, Promise<CampaignRuntime>>();

  constructor(
    private readonly db: Db,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get(campaignId: string): Promise<CampaignRuntime> {
    let runtime = this.runtimes.get(campaignId);
    if (!runtime) {
      runtime = this.load(campaignId);
      runtime.catch(() => this.runtimes.delete(campaignId));
      this.runtimes.set(campaignId, runtime);
    }
    return runtime;
  }

  private async load(campaignId: string): Promise<CampaignRuntime> {
    const [row] = await this.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
    if (!row) throw new Error(`campaign ${campaignId} does not exist`);
    const config = campaignConfigSchema.parse(row.config);
    const endpoints = new Map<string, RoleEndpoint>();
    const students = new Map<number, { model: string; baseURL: string | undefined }>();
    const db = this.db;
    const env = this.env;

    /** Each round's student is the checkpoint registered for it (`tapir round next`). */
    async function studentFor(round: number): Promise<{ model: string; baseURL: string | undefined }> {
      const known = students.get(round);
      if (known) return known;
      const [r] = await db
        .select({ studentModel: rounds.studentModel, studentBaseUrl: rounds.studentBaseUrl })
        .from(rounds)
        .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round)));
      const student = {
        model: r?.studentModel ?? config.models.student.model,
        baseURL: r?.studentBaseUrl ?? config.models.student.baseURL,
      };
      // Not cached before the round exists: a round registered later must not see the fallback.
      if (r) students.set(round, student);
      return student;
    }

    return {
      id: campaignId,
      config,
      async endpoint(role, round) {
        const base = config.models[role];
        const settings = role === 'student' ? { ...base, ...(await studentFor(round)) } : base;
        const cacheKey = `${role}:${settings.model}:${settings.baseURL ?? ''}`;
        let endpoint = endpoints.get(cacheKey);
        if (!endpoint) {
          const facts = modelFacts(settings.model, settings.pricing);
          endpoint = {
            role,
            settings,
            provider: createProvider(settings, env),
            endpointKey: endpointKey(settings.provider, settings.baseURL, settings.model),
            price: facts.price,
            context:
              settings.contextTokens !== undefined
                ? { tokens: settings.contextTokens, from: 'config' }
                : facts.contextTokens !== undefined
                  ? { tokens: facts.contextTokens, from: 'price list' }
                  : undefined,
            limiter: new ConcurrencyLimiter(settings.concurrency),
          };
          endpoints.set(cacheKey, endpoint);
        }
        return endpoint;
      },
    };
  }
}
