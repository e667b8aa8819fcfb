import { campaignConfigSchema, MODEL_ROLES } from '@tapir/core';
import { campaigns, rounds, type Db } from '@tapir/db';
import { describeProbeFailure, endpointFaultOf, probeEndpoint, toLlmError, type ProbeOutcome } from '@tapir/llm';
import { and, eq, inArray } from 'drizzle-orm';
import { preflightFailureLines, preflightGroups, type RoleTarget } from './preflight-plan';

/** Longest a preflight request may take: a reachable endpoint answers a model lookup in far less. */
export const PREFLIGHT_TIMEOUT_MS = 10_000;

/** A campaign whose workers would call models now. */
const WORKING_STATUSES = ['running', 'planning', 'expanding', 'refining'] as const;

export interface StudentOverride {
  model: string;
  baseURL?: string | undefined;
}

/**
 * The roles of a campaign with the settings its next requests will use: the student is the
 * checkpoint registered for the current round (or `student`, the one `tapir round next` is about
 * to register). Undefined when the campaign does not exist.
 */
export async function campaignRoleTargets(db: Db, campaignId: string, student?: StudentOverride): Promise<RoleTarget[] | undefined> {
  const [row] = await db
    .select({ config: campaigns.config, round: campaigns.currentRound })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!row) return undefined;
  const config = campaignConfigSchema.parse(row.config);
  let registered: StudentOverride | undefined = student;
  if (!registered) {
    const [r] = await db
      .select({ model: rounds.studentModel, baseURL: rounds.studentBaseUrl })
      .from(rounds)
      .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, row.round)));
    if (r?.model) registered = { model: r.model, baseURL: r.baseURL ?? undefined };
  }
  return MODEL_ROLES.map((role) => {
    const base = config.models[role];
    if (role !== 'student' || !registered) return { role, settings: base };
    return { role, settings: { ...base, model: registered.model, baseURL: registered.baseURL ?? base.baseURL } };
  });
}

/** Every role of every campaign that workers would serve now (for `tapir worker`), each line naming its campaign. */
export async function workingCampaignTargets(db: Db): Promise<RoleTarget[]> {
  const working = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(inArray(campaigns.status, [...WORKING_STATUSES]));
  const targets: RoleTarget[] = [];
  for (const { id } of working) {
    for (const target of (await campaignRoleTargets(db, id)) ?? []) targets.push({ ...target, campaignId: id });
  }
  return targets;
}

export interface PreflightReport {
  /** Distinct endpoints probed. */
  endpoints: number;
  /** One line per role behind an endpoint that did not answer as it should; empty when all did. */
  failures: string[];
}

/**
 * Sends one cheap request to each distinct endpoint of the roles, in parallel, through the same
 * SDK and key the workers use (see probeEndpoint for which request). Outside the ledger: a
 * preflight is charged to no campaign and changes nothing in PostgreSQL.
 */
export async function preflightEndpoints(
  targets: readonly RoleTarget[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<PreflightReport> {
  const groups = preflightGroups(targets);
  const lines = await Promise.all(
    groups.map(async (group) => {
      const timeoutMs = Math.min(group.settings.timeoutMs, opts.timeoutMs ?? PREFLIGHT_TIMEOUT_MS);
      const outcome = await probeWithRetries(() => probeEndpoint(group.settings, { timeoutMs, ...(opts.env ? { env: opts.env } : {}) }));
      return outcome.ok ? [] : preflightFailureLines(group, describeProbeFailure(outcome.error, timeoutMs));
    }),
  );
  return { endpoints: groups.length, failures: lines.flat() };
}

/** Pauses between preflight attempts at an endpoint that answered with a server error or timed out. */
export const PREFLIGHT_RETRY_DELAYS_MS = [500, 1_500];

/**
 * One probe, asked again after a 5xx or a timeout: a provider that fails one request in twenty
 * is up, and refusing a run for one unlucky request would be wrong. A 429 proves the endpoint is
 * there and takes this key (the workers wait out rate limits), so it passes. A refused connection,
 * a 401/403 or an unknown model is an answer, refused at once.
 */
export async function probeWithRetries(probe: () => Promise<ProbeOutcome>, delaysMs: readonly number[] = PREFLIGHT_RETRY_DELAYS_MS): Promise<ProbeOutcome> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await probe();
    if (outcome.ok) return outcome;
    const fault = endpointFaultOf(toLlmError(outcome.error).kind);
    if (fault === 'throttled') return { ok: true, method: outcome.method };
    if (fault !== 'failing' || attempt >= delaysMs.length) return outcome;
    await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
  }
}
