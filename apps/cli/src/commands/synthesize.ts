import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { bundledTopicsPath, matchCategory, parseTopicFile, topicCount, topicsFor, TopicListError, type CampaignConfig } from '@tapir/core';
import { readPool } from '@tapir/formats';
import { createLogger, openPipeline, synthesizePool } from '@tapir/pipeline';
import { UsageError } from '../cli-errors';
import { loadConfigFile } from '../config-file';

export interface SynthesizeOptions {
  config: string;
  topics?: string;
  out: string;
  data?: string;
  categories?: string;
  perCategory: string;
}

/** The pool's instructions and the categories its rows name (the `category` column), for "what the pool leaves short". */
async function readPoolFacts(file: string, config: CampaignConfig): Promise<{ instructions: string[]; labelled: Set<string> }> {
  const names = config.taxonomy.categories.map((c) => c.name);
  const instructions: string[] = [];
  const labelled = new Set<string>();
  for await (const event of readPool(file, { maxRowBytes: config.import.maxRowBytes })) {
    if (event.kind === 'error') continue;
    instructions.push(event.record.instruction);
    const category = event.record.category ? matchCategory(event.record.category, names) : null;
    if (category) labelled.add(category);
  }
  return { instructions, labelled };
}

export async function synthesizeCommand(opts: SynthesizeOptions): Promise<void> {
  const config = await loadConfigFile(opts.config);
  const perCategory = Number(opts.perCategory);
  if (!Number.isInteger(perCategory) || perCategory < 1) throw new UsageError(`--per-category: expected an integer >= 1, got ${JSON.stringify(opts.perCategory)}`);
  const names = config.taxonomy.categories.map((c) => c.name);
  const topicsFile = opts.topics ?? config.synthesis.topics ?? bundledTopicsPath();
  let topics;
  try {
    topics = parseTopicFile(topicsFile, await readFile(topicsFile, 'utf8'), names);
  } catch (err) {
    if (err instanceof TopicListError) throw new UsageError(`${topicsFile}:${err.line}: ${err.message}`);
    throw new UsageError(`--topics: cannot read ${topicsFile}: ${(err as Error).message}`);
  }
  const pool = opts.data ? await readPoolFacts(opts.data, config) : { instructions: [], labelled: new Set<string>() };
  const named = opts.categories?.split(',').map((c) => c.trim()).filter(Boolean) ?? config.synthesis.categories;
  let categories: string[];
  if (named !== undefined) {
    categories = named.map((c) => {
      const category = matchCategory(c, names);
      if (category === null) throw new UsageError(`--categories: "${c}" is not a taxonomy category`);
      return category;
    });
  } else {
    // Short: categories with weight that no row of the pool is labelled with.
    categories = config.taxonomy.categories.filter((c) => c.weight > 0 && !pool.labelled.has(c.name)).map((c) => c.name);
  }
  for (const category of categories) {
    if (topicsFor(topics, category).length === 0) throw new UsageError(`${topicsFile}: no topic for category "${category}" (add a [${category}] section or general topics)`);
  }
  if (categories.length === 0) throw new UsageError('no category to synthesize for: every category with weight is labelled in the pool (name some with --categories)');

  const pipeline = await openPipeline({ logger: createLogger(process.env['TAPIR_LOG_LEVEL'] ?? 'warn') });
  try {
    const outFile = resolve(opts.out);
    const result = await synthesizePool(pipeline.services, {
      config,
      topics,
      categories,
      perCategory,
      poolInstructions: pool.instructions,
      outFile,
      name: `synthesize ${basename(outFile)}`,
    });
    const d = result.diversity;
    const rejected = Object.entries(result.rejected).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    process.stdout.write(
      [
        `wrote ${result.written} synthesized instruction(s) for ${categories.length} categor${categories.length === 1 ? 'y' : 'ies'} to ${outFile}`,
        `  topics               ${topicCount(topics)} in ${topicsFile}; ${d.distinctTopics} distinct used`,
        `  rejected             ${rejected}`,
        `  distinct 3-grams     ${d.distinctTrigramsPer1000Words.toFixed(1)} per 1,000 words (${d.words} words)`,
        `  mean ROUGE-L vs pool ${d.meanRougeLAgainstPool === null ? '- (no --data pool)' : `${d.meanRougeLAgainstPool.toFixed(3)} over ${d.rougeLPairs} sampled pairs`}`,
        `  requests             recorded under campaign ${result.campaignId} (tapir status ${result.campaignId}); the same command again is served from the ledger`,
        '',
      ].join('\n'),
    );
  } finally {
    await pipeline.close();
  }
}
