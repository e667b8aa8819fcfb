import { MODEL_ROLES, type CampaignConfig, type ModelRole } from '@tapir/core';
import { priceFor } from '@tapir/llm';

export interface UnpricedModel {
  role: ModelRole;
  model: string;
}

/** The roles whose model has no price: not in the config's `pricing`, the simulator's, nor the vendored list. */
export function unpricedModels(config: CampaignConfig): UnpricedModel[] {
  return MODEL_ROLES.filter((role) => priceFor(config.models[role].model, config.models[role].pricing) === undefined).map((role) => ({
    role,
    model: config.models[role].model,
  }));
}

/**
 * Why a campaign with a dollar budget cannot start: a model without a price would count as $0,
 * so budget.maxUsd would never stop it. Empty when every model is priced or there is no such budget.
 */
export function budgetPriceProblems(config: CampaignConfig): string[] {
  if (config.budget.maxUsd === undefined) return [];
  return unpricedModels(config).map(
    ({ role, model }) =>
      `models.${role}.pricing: no price is known for model "${model}", and budget.maxUsd is set: its requests would count as $0 ` +
      `and the budget could not stop them; add models.${role}.pricing: { inputPerMTok: ..., outputPerMTok: ... } (USD per million tokens)`,
  );
}

/** What create, run and status say of a model without a price when no dollar budget depends on it. */
export function unpricedWarnings(config: CampaignConfig): string[] {
  return unpricedModels(config).map(
    ({ role, model }) =>
      `warning: no price is known for models.${role}.model "${model}"; its requests are counted at $0 (set models.${role}.pricing to count them)`,
  );
}
