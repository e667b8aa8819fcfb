import type { Pipeline } from '@tapir/pipeline';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bindPolicy } from './bind-policy';
import { dashboardApp } from './dashboard-app';

export interface DashboardOptions {
  pipeline: Pipeline;
  host: string;
  port: number;
  token: string | undefined;
}

export class DashboardRefusedError extends Error {}

export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

/** Starts the dashboard, or refuses (DashboardRefusedError) a non-loopback address without a token. */
export async function startDashboard(opts: DashboardOptions): Promise<RunningDashboard> {
  const policy = bindPolicy(opts.host, opts.token);
  if ('refused' in policy) throw new DashboardRefusedError(policy.refused);
  const app = dashboardApp({ pipeline: opts.pipeline, policy, token: opts.token });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port, opts.host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
