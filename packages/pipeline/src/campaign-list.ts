import type { Db } from '@tapir/db';
import { sql } from 'drizzle-orm';

/** One row of `tapir list --json` (and the dashboard's /api/campaigns). */
export interface ListedCampaign {
  id: string;
  name: string;
  status: string;
  round: number;
  items: number;
  createdAt: string;
}

/** Every campaign, newest first. */
export async function listCampaigns(db: Db): Promise<ListedCampaign[]> {
  const result = await db.execute<{ id: string; name: string; status: string; round: number; items: string; created_at: string }>(sql`
    select c.id, c.name, c.status, c.current_round as round, c.created_at,
           (select count(*) from items i where i.campaign_id = c.id) as items
      from campaigns c order by c.created_at desc`);
  return result.rows.map((r) => ({ id: r.id, name: r.name, status: r.status, round: r.round, items: Number(r.items), createdAt: new Date(r.created_at).toISOString() }));
}
