/** USD per million tokens. */
export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
}

/**
 * List prices of common models (public price pages, 2025). A config's `pricing` overrides them;
 * a model not listed costs 0 and is reported as unpriced. The simulator's models are priced like
 * the models they stand in for so that the demo shows realistic spend.
 */
export const DEFAULT_PRICES: Record<string, Price> = {
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4-turbo': { inputPerMTok: 10, outputPerMTok: 30 },
  'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-7-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-5-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
  'claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75 },
  'sim-teacher': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'sim-judge': { inputPerMTok: 3, outputPerMTok: 15 },
  'sim-student': { inputPerMTok: 0, outputPerMTok: 0 },
};

/** Exact name first, then the longest listed prefix (dated snapshots such as gpt-4o-2024-08-06). */
export function priceFor(model: string, override?: Price): Price | undefined {
  if (override) return override;
  if (DEFAULT_PRICES[model]) return DEFAULT_PRICES[model];
  const prefix = Object.keys(DEFAULT_PRICES)
    .filter((name) => model.startsWith(name))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? DEFAULT_PRICES[prefix] : undefined;
}

export function costUsd(price: Price | undefined, inputTokens: number, outputTokens: number): number {
  if (!price) return 0;
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}
