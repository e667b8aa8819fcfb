import { listCampaigns } from '@tapir/pipeline';
import { withDatabase } from '../database';

export async function listCommand(opts: { json?: boolean }): Promise<void> {
  const rows = await withDatabase((database) => listCampaigns(database.db));
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
