import { DashboardRefusedError, startDashboard, TOKEN_ENV } from '@tapir/dashboard';
import { openPipeline, createLogger } from '@tapir/pipeline';
import { UsageError } from '../cli-errors';

/**
 * Serves the dashboard until SIGINT/SIGTERM. The token is never printed or logged: the banner
 * only says whether actions are on.
 */
export async function dashboardCommand(opts: { port: number; host: string; token?: string }): Promise<void> {
  const token = opts.token ?? (process.env[TOKEN_ENV]?.trim() || undefined);
  const logger = createLogger('info', 'tapir-dashboard');
  const pipeline = await openPipeline({ logger });
  let dashboard;
  try {
    dashboard = await startDashboard({ pipeline, host: opts.host, port: opts.port, token });
  } catch (err) {
    await pipeline.close();
    if (err instanceof DashboardRefusedError) throw new UsageError(err.message);
    throw err;
  }
  process.stdout.write(
    `tapir dashboard on ${dashboard.url}  (/queues, /metrics, /api/campaigns)\n` +
      (token ? 'pause, resume and cancel need the token\n' : `pause, resume and cancel are off: start with --token T or ${TOKEN_ENV} to use them\n`),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await dashboard.close();
  await pipeline.close();
}
