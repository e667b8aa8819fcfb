import { STATUS_CODES } from 'node:http';
import { campaignConfigSchema, MODEL_ROLES, TapirError, type ModelRole, type ModelRoleConfig } from '@tapir/core';
import { campaigns, rounds, transition, transitionSources } from '@tapir/db';
import { eq } from 'drizzle-orm';
import { CampaignHaltedError, type SendHook } from '@tapir/ledger';
import {
  DEFAULT_BREAKER_POLICY,
  endpointKey,
  endpointFaultOf,
  isOutageFault,
  LlmError,
  provesEndpointUp,
  type BreakerPolicy,
  type BreakerState,
} from '@tapir/llm';
import { embeddingTarget } from './clean-models/embedding-endpoint';
import type { PipelineServices } from './services';

/** Jobs turned away by an open breaker come back spread over this much, so that they do not all ask at once. */
const DOWN_JITTER_MS = 1_000;

/** What a pause message and a log line name: which role talks to what. */
export interface EndpointIdentity {
  /** A model role, or the clean step's embeddings endpoint. */
  role: ModelRole | 'embeddings';
  settings: Pick<ModelRoleConfig, 'model' | 'baseURL' | 'provider' | 'apiKeyEnv' | 'outagePauseMs' | 'breaker'>;
  endpointKey: string;
  /** The config field a message tells the user to fix, per setting; models.<role>.<setting> when not given. */
  fields?: Partial<Record<EndpointSetting, string>>;
}

export type EndpointSetting = 'apiKeyEnv' | 'model' | 'baseURL' | 'outagePauseMs';

function fieldOf(endpoint: EndpointIdentity, setting: EndpointSetting): string {
  return endpoint.fields?.[setting] ?? `models.${endpoint.role}.${setting}`;
}

/** The endpoint is down (its breaker is open): the job comes back later without spending an attempt. */
export class EndpointDownError extends TapirError {
  constructor(message: string, afterMs: number) {
    super(message, { retryable: true, postpone: { afterMs: Math.max(0, Math.round(afterMs)), jitterMs: DOWN_JITTER_MS } });
    this.name = 'EndpointDownError';
  }
}

export function breakerPolicyOf(settings: EndpointIdentity['settings']): BreakerPolicy {
  return {
    ...DEFAULT_BREAKER_POLICY,
    ...(settings.breaker?.openAfterFailures ? { openAfterFailures: settings.breaker.openAfterFailures } : {}),
    ...(settings.breaker?.failureWindowMs ? { failureWindowMs: settings.breaker.failureWindowMs } : {}),
  };
}

function describeEndpoint(endpoint: EndpointIdentity): string {
  return `${endpoint.role} ${endpoint.settings.model} at ${endpoint.settings.baseURL ?? `${endpoint.settings.provider}'s default URL`}`;
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * The provider's own words from an SDK error message, which reads "401 {json body}" for both
 * SDKs: the body's message when there is one, else the text without its leading status.
 */
export function providerReason(message: string): string {
  const inner = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(message)?.[1];
  return (inner ?? message.replace(/^\d{3}\s+/, '')).slice(0, 200);
}

/** Why every request of the role will be refused until a person acts, and what to do about it. */
export function refusalMessage(endpoint: EndpointIdentity, err: LlmError): string {
  const { settings } = endpoint;
  const status = err.status !== undefined ? `${err.status} ${STATUS_CODES[err.status] ?? ''}`.trim() : err.kind;
  const detail = providerReason(err.message);
  const advice =
    err.kind === 'auth'
      ? settings.apiKeyEnv
        ? `check the variable named by ${fieldOf(endpoint, 'apiKeyEnv')} (${settings.apiKeyEnv})`
        : `the endpoint wants a key: set ${fieldOf(endpoint, 'apiKeyEnv')}`
      : err.kind === 'quota'
        ? "the account's quota is used up: add credit or raise the limit with the provider"
        : err.kind === 'not_found'
          ? `check ${fieldOf(endpoint, 'model')} and ${fieldOf(endpoint, 'baseURL')}`
          : `set the variable ${fieldOf(endpoint, 'apiKeyEnv')} names`;
  return `${describeEndpoint(endpoint)}: ${status} (${detail}), ${advice}; then \`tapir resume\``;
}

export function outageMessage(endpoint: EndpointIdentity, downForMs: number, lastError: string | null): string {
  return (
    `${describeEndpoint(endpoint)}: down for ${minutes(downForMs)} (${lastError ?? 'no answer'}), longer than ` +
    `${fieldOf(endpoint, 'outagePauseMs')} (${minutes(endpoint.settings.outagePauseMs)}); \`tapir resume\` once it answers`
  );
}

/** Pauses the campaign (unless it already stopped) and returns the error its job stops with. */
export async function pauseForEndpoint(services: PipelineServices, campaignId: string, message: string): Promise<CampaignHaltedError> {
  const moved = await transition(services.db, campaignId, transitionSources('outage', 'paused'), 'paused', message);
  services.gate.forget(campaignId);
  if (moved) services.logger.error({ campaignId, reason: message }, 'campaign paused: endpoint unusable');
  return new CampaignHaltedError(campaignId, 'paused', message);
}

/**
 * One request's view of its endpoint's health. Its hook asks the shared breaker before the request
 * goes (an open breaker postpones the job; one open past outagePauseMs pauses the campaign) and
 * tells it what came back; `explain` then turns the request's error into what the job should do:
 * - the endpoint refuses the role (401/403, no quota, no such model, no key): pause the campaign;
 * - unreachable (refused, reset, DNS): postpone, never spend an attempt;
 * - failing (5xx, timeout) while the breaker is open: postpone; while it is closed the endpoint
 *   answers other requests, so the error is this request's and spends an attempt (a prompt that
 *   always times out must not be bought again for ever);
 * - anything else: unchanged (request-level, spends an attempt).
 */
export class EndpointHealthCall {
  private readonly policy: BreakerPolicy;
  private verdict: { state: BreakerState; nowMs: number } | undefined;

  constructor(
    private readonly services: PipelineServices,
    private readonly campaignId: string,
    private readonly endpoint: EndpointIdentity,
  ) {
    this.policy = breakerPolicyOf(endpoint.settings);
  }

  get hook(): SendHook {
    const { breaker } = this.services;
    const key = this.endpoint.endpointKey;
    return {
      before: async () => {
        const admission = await breaker.admit(key, this.policy);
        if (admission.go) return;
        if (admission.downForMs >= this.endpoint.settings.outagePauseMs) {
          throw await pauseForEndpoint(this.services, this.campaignId, outageMessage(this.endpoint, admission.downForMs, admission.lastError));
        }
        throw new EndpointDownError(`${describeEndpoint(this.endpoint)} is down (${admission.lastError ?? 'no answer'}): request not sent`, admission.retryInMs);
      },
      // Not awaited: the ledger writes the answer after this hook, and that must not wait on Redis.
      afterAnswer: () => {
        breaker.recordAnswer(key).catch(() => undefined);
        return Promise.resolve();
      },
      afterFailure: async (err) => {
        const fault = endpointFaultOf(err.kind);
        if (isOutageFault(fault)) {
          const before = this.verdict?.state.opened;
          this.verdict = await breaker.recordOutage(key, `${err.kind}${err.status ? ` ${err.status}` : ''}: ${err.message}`, this.policy);
          if (this.verdict.state.downSince === this.verdict.nowMs && before !== this.verdict.state.opened) {
            this.services.logger.warn({ role: this.endpoint.role, model: this.endpoint.settings.model, reason: this.verdict.state.lastError }, 'endpoint down: its jobs are postponed until it answers');
          }
        } else if (provesEndpointUp(fault, err.status)) {
          await breaker.recordAnswer(key);
        }
      },
    };
  }

  /** What the job does with the error its request met (see the class comment). */
  async explain(err: unknown): Promise<unknown> {
    if (!(err instanceof LlmError)) return err;
    const fault = endpointFaultOf(err.kind);
    if (fault === 'refusing') return pauseForEndpoint(this.services, this.campaignId, refusalMessage(this.endpoint, err));
    if (!isOutageFault(fault)) return err;
    const verdict = this.verdict;
    // Closed: an unreachable error postpones by itself (LlmError), a failing one spends an attempt.
    if (!verdict || verdict.state.phase === 'closed') return err;
    const downForMs = Math.max(0, verdict.nowMs - (verdict.state.downSince ?? verdict.nowMs));
    if (downForMs >= this.endpoint.settings.outagePauseMs) {
      return pauseForEndpoint(this.services, this.campaignId, outageMessage(this.endpoint, downForMs, verdict.state.lastError));
    }
    return new EndpointDownError(`${describeEndpoint(this.endpoint)} is down: ${err.message}`, Math.max(0, verdict.state.nextProbeAt - verdict.nowMs));
  }
}

/**
 * Forgets what the breakers of every endpoint the campaign uses remember (`tapir resume`: the
 * user says the endpoint is back or the key is fixed), so that its jobs are not turned away by
 * an outage that is over, nor paused again at once by its old duration.
 */
export async function resetCampaignBreakers(services: PipelineServices, campaignId: string): Promise<void> {
  const [row] = await services.db.select({ config: campaigns.config }).from(campaigns).where(eq(campaigns.id, campaignId));
  if (!row) return;
  const config = campaignConfigSchema.parse(row.config);
  const keys = new Set(MODEL_ROLES.map((role) => endpointKey(config.models[role].provider, config.models[role].baseURL, config.models[role].model)));
  const checkpoints = await services.db
    .select({ model: rounds.studentModel, baseURL: rounds.studentBaseUrl })
    .from(rounds)
    .where(eq(rounds.campaignId, campaignId));
  const student = config.models.student;
  for (const c of checkpoints) keys.add(endpointKey(student.provider, c.baseURL ?? student.baseURL, c.model ?? student.model));
  // The clean step's embeddings endpoint has a breaker too; its key is set when it is used.
  if (config.clean.embeddings) {
    try {
      keys.add(embeddingTarget(config, config.clean.embeddings).endpointKey);
    } catch {
      // A section naming no usable provider never sent a request: no breaker to reset.
    }
  }
  await Promise.all([...keys].map((key) => services.breaker.reset(key)));
}
