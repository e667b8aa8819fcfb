import { ItemNotFoundError, itemStory } from '@tapir/pipeline';
import { CliFailure } from '../cli-errors';
import { withDatabase } from '../database';
import { formatItemStory } from '../format-item-story';

export async function showCommand(campaignId: string, opts: { item: number; json?: boolean }): Promise<void> {
  const story = await withDatabase((database) =>
    itemStory(database.db, campaignId, opts.item).catch((err: unknown) => {
      // Same as `tapir status` for an unknown campaign: a failure (1), the message names the id.
      throw err instanceof ItemNotFoundError ? new CliFailure(err.message) : err;
    }),
  );
  process.stdout.write(opts.json ? JSON.stringify(story, null, 2) + '\n' : formatItemStory(story) + '\n');
}
