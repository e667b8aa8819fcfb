import { integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns';

/** A record of each export written, with its manifest. */
export const exportsTable = pgTable('exports', {
  id: serial('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  round: integer('round').notNull(),
  format: text('format').notNull(),
  dir: text('dir').notNull(),
  manifest: jsonb('manifest').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
