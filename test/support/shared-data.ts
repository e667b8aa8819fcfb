import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The real data sets live beside the project in ../shared/data (see DEVELOPERS.md). A user's own
 * clone does not have them: the tests that need them say so and skip.
 */
export const SHARED_DATA_DIR = process.env.TAPIR_SHARED_DATA ?? resolve(__dirname, '../../../shared/data');

export function sharedDataAvailable(...relativePaths: string[]): boolean {
  const ok = existsSync(SHARED_DATA_DIR) && relativePaths.every((p) => existsSync(resolve(SHARED_DATA_DIR, p)));
  if (!ok) {
    // eslint-disable-next-line no-console
    console.warn(`skipping real-data tests: ${SHARED_DATA_DIR} (../shared/data beside the checkout) is not present`);
  }
  return ok;
}

export function sharedDataPath(relativePath: string): string {
  return resolve(SHARED_DATA_DIR, relativePath);
}
