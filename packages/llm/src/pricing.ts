import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PriceTable, type Price, type PricedModel, type PriceMatch } from './price-table';

export type { Price, PriceMatch } from './price-table';

/** The vendored price list (packages/llm/data/model-prices.json) and where it came from. */
export interface PriceData {
  source: string;
  refreshed: string;
  models: PricedModel[];
}

/**
 * The simulator's models, priced like the models they stand in for so that the demo shows
 * realistic spend. Not in the vendored data because no provider sells them.
 */
const SIMULATOR_PRICES: Record<string, Price> = {
  'sim-teacher': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'sim-judge': { inputPerMTok: 3, outputPerMTok: 15 },
  'sim-student': { inputPerMTok: 0, outputPerMTok: 0 },
  // Priced like OpenAI's text-embedding-3-small.
  'sim-embedding': { inputPerMTok: 0.02, outputPerMTok: 0 },
};

let loaded: { data: PriceData; table: PriceTable } | undefined;

/** Read on first use: 60 KB of JSON that most commands (list, export) never need. */
function priceList(): { data: PriceData; table: PriceTable } {
  if (!loaded) {
    // dist/pricing.js and src/pricing.ts both sit one level below the package root.
    const data = JSON.parse(readFileSync(join(__dirname, '..', 'data', 'model-prices.json'), 'utf8')) as PriceData;
    loaded = { data, table: new PriceTable(data.models) };
  }
  return loaded;
}

/** Where the built-in prices come from, for the README and warnings. */
export function priceSource(): { source: string; refreshed: string } {
  const { data } = priceList();
  return { source: data.source, refreshed: data.refreshed };
}

export interface ModelFacts {
  price?: Price;
  /** Where the price came from; absent when the model has none. */
  priceFrom?: 'config' | 'simulator' | PriceMatch;
  /** The listed entry that priced it, e.g. gpt-4o for gpt-4o-2024-08-06. */
  listedAs?: string;
  contextTokens?: number;
}

/** What tapir knows of a model: the config's `pricing` first, then the simulator's, then the vendored list. */
export function modelFacts(model: string, override?: Price): ModelFacts {
  const found = priceList().table.lookup(model);
  const context = found?.model.contextTokens === undefined ? {} : { contextTokens: found.model.contextTokens };
  if (override) return { price: override, priceFrom: 'config', ...context };
  const simulated = SIMULATOR_PRICES[model];
  if (simulated) return { price: simulated, priceFrom: 'simulator' };
  if (!found) return {};
  const { inputPerMTok, outputPerMTok } = found.model;
  return { price: { inputPerMTok, outputPerMTok }, priceFrom: found.matchedBy, listedAs: found.model.id, ...context };
}

/** The model's price, or undefined when tapir knows none (it then costs 0 and is reported as unpriced). */
export function priceFor(model: string, override?: Price): Price | undefined {
  return modelFacts(model, override).price;
}

export function costUsd(price: Price | undefined, inputTokens: number, outputTokens: number): number {
  if (!price) return 0;
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}
