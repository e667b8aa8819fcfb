import { index, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns';

/** Rows of an import that were skipped, with the reason, so the summary can list them later. */
export const importErrors = pgTable(
  'import_errors',
  {
    id: serial('id').primaryKey(),
    campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    file: text('file').notNull(),
    line: integer('line').notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('import_errors_campaign_idx').on(t.campaignId)],
);
