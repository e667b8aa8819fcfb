#!/usr/bin/env node
'use strict';
/**
 * Refreshes packages/llm/data/model-prices.json from the npm package @pydantic/genai-prices
 * (maintained price data for LLM APIs, https://github.com/pydantic/genai-prices). The package
 * is fetched with `npm pack` into a temporary directory, not installed: tapir only needs its
 * data, and the vendored file keeps prices reproducible and reviewable in a diff.
 *
 *   node scripts/refresh-model-prices.js [version]   (default: latest)
 */
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');

const PACKAGE = '@pydantic/genai-prices';
/** The first-party APIs tapir's providers talk to, plus common open-weight hosts' own APIs. */
const PROVIDERS = ['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'x-ai'];
const OUT = resolve(__dirname, '../packages/llm/data/model-prices.json');

/** ModelPrice values are numbers or { base, tiers }; the base tier is the price of prompts like tapir's. */
function perMTok(value) {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && typeof value.base === 'number') return value.base;
  return undefined;
}

/**
 * A model's prices are one ModelPrice, or a list of { constraint, prices } (a new price from a
 * start date, or off-peak hours). The price in force on `today` is taken; of time-of-day
 * variants the dearer one, since a budget must not be undershot.
 */
function currentPrice(prices, today) {
  const entries = Array.isArray(prices) ? prices : [{ prices }];
  let chosen;
  let chosenStart = '';
  for (const { constraint, prices: p } of entries) {
    const start = constraint && constraint.start_date ? String(constraint.start_date) : '';
    if (start > today) continue;
    const input = perMTok(p.input_mtok);
    const output = perMTok(p.output_mtok);
    if (input === undefined || output === undefined) continue;
    const timeOfDay = constraint && !constraint.start_date;
    if (!chosen || start > chosenStart || (timeOfDay && input + output > chosen.inputPerMTok + chosen.outputPerMTok)) {
      chosen = { inputPerMTok: input, outputPerMTok: output };
      chosenStart = start;
    }
  }
  return chosen;
}

function main() {
  const version = process.argv[2] ?? 'latest';
  const dir = mkdtempSync(join(tmpdir(), 'tapir-prices-'));
  try {
    const packed = execFileSync('npm', ['pack', `${PACKAGE}@${version}`, '--json', '--pack-destination', dir], { encoding: 'utf8' });
    const info = JSON.parse(packed)[0];
    execFileSync('tar', ['xzf', join(dir, info.filename), '-C', dir]);
    const published = JSON.parse(execFileSync('npm', ['view', `${PACKAGE}@${info.version}`, 'time', '--json'], { encoding: 'utf8' }))[info.version];
    const today = new Date().toISOString().slice(0, 10);
    return import(pathToFileURL(join(dir, 'package', readdirSync(join(dir, 'package')).includes('dist') ? 'dist/index.js' : 'index.js')).href).then((lib) => {
      const models = [];
      for (const providerId of PROVIDERS) {
        const provider = lib.findProvider({ providerId });
        if (!provider) throw new Error(`${PACKAGE}@${info.version} has no provider "${providerId}"`);
        for (const model of provider.models) {
          const price = currentPrice(model.prices, today);
          if (!price) continue; // no per-token price (free tier, per-request pricing): tapir cannot budget it
          models.push({
            provider: providerId,
            id: model.id,
            match: model.match,
            ...price,
            ...(model.context_window ? { contextTokens: model.context_window } : {}),
          });
        }
      }
      const data = {
        source: `npm ${PACKAGE}@${info.version} (published ${published}), from https://github.com/pydantic/genai-prices`,
        refreshed: today,
        refreshWith: 'node scripts/refresh-model-prices.js',
        providers: PROVIDERS,
        units: 'USD per million tokens; base tier; the price in force on the refresh date',
        models,
      };
      writeFileSync(OUT, JSON.stringify(data, null, 1) + '\n');
      process.stdout.write(`${OUT}: ${models.length} models from ${PACKAGE}@${info.version}\n`);
    });
  } finally {
    // The import above has read the files by the time its promise settles; removing them after.
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
}

main().catch((error) => {
  process.stderr.write(`refresh-model-prices: ${error.message}\n`);
  process.exit(1);
});
