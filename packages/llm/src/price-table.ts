import { exactNames, matchStrength, type MatchRule } from './model-match';

/** USD per million tokens. */
export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
}

export interface PricedModel extends Price {
  provider: string;
  id: string;
  match: MatchRule;
  contextTokens?: number;
}

/** How a name found its entry: by its own name, as a dated snapshot of a listed name, or by a rule. */
export type PriceMatch = 'exact' | 'snapshot' | 'rule';

export interface PriceLookup {
  model: PricedModel;
  matchedBy: PriceMatch;
}

/** A date suffix of a snapshot name: gpt-4o-2024-08-06, claude-3-5-haiku-20241022, claude-opus-4-1@20250805. */
const SNAPSHOT_SUFFIX = /[-@](\d{4}-\d{2}-\d{2}|\d{8})$/;

/**
 * Looks up model names in a price list, most certain first: a listed name (an entry's id or one of
 * its exact names), then a dated snapshot of a listed name with the date removed, and only then
 * the entries' prefix/suffix rules, the most specific match winning. Prefix rules last is what
 * keeps gpt-4.1-nano from costing what gpt-4.1 costs, and claude-opus-4-5 what claude-opus-4 costs.
 */
export class PriceTable {
  private readonly byName = new Map<string, PricedModel>();

  constructor(private readonly models: readonly PricedModel[]) {
    // First listed wins: the providers are listed in order of preference.
    for (const model of models) {
      for (const name of [model.id.toLowerCase(), ...exactNames(model.match)]) {
        if (!this.byName.has(name)) this.byName.set(name, model);
      }
    }
  }

  lookup(name: string): PriceLookup | undefined {
    const lower = name.trim().toLowerCase();
    const exact = this.byName.get(lower);
    if (exact) return { model: exact, matchedBy: 'exact' };
    const undated = lower.replace(SNAPSHOT_SUFFIX, '');
    const snapshot = undated === lower ? undefined : this.byName.get(undated);
    if (snapshot) return { model: snapshot, matchedBy: 'snapshot' };
    let best: PricedModel | undefined;
    let bestStrength = 0;
    for (const model of this.models) {
      const strength = matchStrength(model.match, lower);
      if (strength > bestStrength) {
        best = model;
        bestStrength = strength;
      }
    }
    return best ? { model: best, matchedBy: 'rule' } : undefined;
  }
}
