import { sql } from 'drizzle-orm';
import { withDatabase } from '../database';

interface ListedCampaign {
  id: string;
  name: string;
  status: string;
  round: number;
  items: number;
  createdAt: string;
}

export async function listCommand(opts: { json?: boolean }): Promise<void> {
  const rows = await withDatabase(async (database) => {
    const result = await database.db.execute<{ id: string; name: string; status: string; round: number; items: string; created_at: string }>(sql`
      select c.id, c.name, c.status, c.current_round as round, c.created_at,
             (select count(*) from items i where i.campaign_id = c.id) as items
        from campaigns c order by c.created_at desc`);
    return result.rows.map(
      (r): ListedCampaign => ({ id: r.id, name: r.name, status: r.status, round: r.round, items: Number(r.items), createdAt: new Date(r.created_at).toISOString() }),
    );
  });
  if (opts.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('no campaigns yet (create one with `tapir campaign create`)\n');
    return;
  }
  for (const r of rows) {
    process.stdout.write(`${r.id}  ${r.status.padEnd(9)}  round ${r.round}  ${String(r.items).padStart(7)} items  ${r.createdAt}  ${r.name}\n`);
  }
}
