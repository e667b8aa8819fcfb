import { isAbsolute, resolve } from 'node:path';
import { BUNDLED_BENCHMARKS } from './clean-config';
import type { CampaignConfig } from './config';

/**
 * The config with the files it names read from `baseDir` (the config file's folder) made absolute:
 * benchmark files, the flagged-word list and the topic list. A campaign's config is stored at
 * create and read by workers that may run anywhere; a relative path left as written would be read
 * from each worker's own folder, and a worker started elsewhere would fail or read another file.
 * Bundled benchmark names stay names; `sources:` files are resolved by the import itself.
 */
export function withConfigPathsFrom(config: CampaignConfig, baseDir: string): CampaignConfig {
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  const bundled = new Set<string>(BUNDLED_BENCHMARKS);
  const { clean, synthesis } = config;
  return {
    ...config,
    clean: {
      ...clean,
      decontaminate: { ...clean.decontaminate, benchmarks: clean.decontaminate.benchmarks.map((entry) => (bundled.has(entry) ? entry : absolute(entry))) },
      quality: { ...clean.quality, ...(clean.quality.flaggedWordsFile !== undefined ? { flaggedWordsFile: absolute(clean.quality.flaggedWordsFile) } : {}) },
    },
    ...(synthesis ? { synthesis: { ...synthesis, ...(synthesis.topics !== undefined ? { topics: absolute(synthesis.topics) } : {}) } } : {}),
  };
}
