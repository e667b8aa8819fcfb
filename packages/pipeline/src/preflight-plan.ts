import type { ModelRole, ModelRoleConfig } from '@tapir/core';
import { normalizeEndpointBaseUrl, type ProbeFailure } from '@tapir/llm';

/** One role of one campaign, with the settings it will call its model with. */
export interface RoleTarget {
  role: ModelRole;
  settings: ModelRoleConfig;
  /** Set when several campaigns are checked at once (`tapir worker`), so that a line names its campaign. */
  campaignId?: string;
}

/** Roles that reach the same server with the same SDK and key: one probe answers for all of them. */
export interface EndpointGroup {
  key: string;
  /** The settings the probe uses: the first role's (its model is the one looked up). */
  settings: ModelRoleConfig;
  roles: RoleTarget[];
}

/**
 * Groups roles by endpoint: provider (the SDK), base URL (spelled out or the SDK's default, as
 * the rate limiter normalises it) and the name of the key variable. The model is not part of it:
 * one request proves the address and the key for every model behind them.
 */
export function preflightGroups(targets: readonly RoleTarget[]): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  for (const target of targets) {
    const { provider, baseURL, apiKeyEnv } = target.settings;
    const key = JSON.stringify([provider, normalizeEndpointBaseUrl(provider, baseURL), apiKeyEnv ?? '']);
    const group = groups.get(key);
    if (group) group.roles.push(target);
    else groups.set(key, { key, settings: target.settings, roles: [target] });
  }
  return [...groups.values()];
}

/** Where a role's requests go, as the user wrote it (or the SDK's default when the config has none). */
export function endpointAddress(settings: Pick<ModelRoleConfig, 'provider' | 'baseURL'>): string {
  return settings.baseURL?.trim() || normalizeEndpointBaseUrl(settings.provider, undefined) || `the ${settings.provider} default`;
}

/**
 * One line per role behind a failed endpoint, naming role, model, address and what went wrong,
 * e.g. "teacher sim-teacher at http://127.0.0.1:9/v1: connection refused". A 401/403 points at
 * the config field that names the key variable (never at the key).
 */
export function preflightFailureLines(group: EndpointGroup, failure: ProbeFailure): string[] {
  return group.roles.map((target) => {
    const { role, settings } = target;
    const where = `${target.campaignId ? `campaign ${target.campaignId}: ` : ''}${role} ${settings.model} at ${endpointAddress(settings)}`;
    if (failure.missingKey) return `${where}: models.${role}.apiKeyEnv: ${failure.text}`;
    if (!failure.auth) return `${where}: ${failure.text}`;
    const hint = settings.apiKeyEnv
      ? `check the variable named by models.${role}.apiKeyEnv (${settings.apiKeyEnv})`
      : `the server wants an API key: name its variable in models.${role}.apiKeyEnv`;
    return `${where}: ${failure.text}, ${hint}`;
  });
}
