import pg from 'pg';
import { BackendCpuWatcher } from './backend-cpu.ts';

/**
 * The database servers that serve one database: one for PostgreSQL; the coordinator and every worker
 * for Citus (read from `pg_dist_node`). CPU of a step is the sum over all of them, so the work Citus
 * pushes to the workers is counted too (they must run on this machine to be visible in /proc).
 */
export class DatabaseNodes {
  private constructor(
    readonly database: string,
    /** One URL per server, on its `postgres` database (the watcher's own backend is not counted). */
    readonly adminUrls: string[],
  ) {}

  static single(adminUrl: string, database: string): DatabaseNodes {
    return new DatabaseNodes(database, [adminUrl]);
  }

  static async citus(coordinatorUrl: string): Promise<DatabaseNodes> {
    const url = new URL(coordinatorUrl);
    const database = decodeURIComponent(url.pathname.slice(1));
    const client = new pg.Client({ connectionString: coordinatorUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ nodename: string; nodeport: number }>(
        'SELECT DISTINCT nodename, nodeport FROM pg_dist_node WHERE isactive ORDER BY nodeport',
      );
      const admin = (host: string, port: number) => {
        const u = new URL(coordinatorUrl);
        u.hostname = host;
        u.port = String(port);
        u.pathname = '/postgres';
        return u.toString();
      };
      const urls = rows.map((r) => admin(r.nodename, r.nodeport));
      if (!urls.includes(admin(url.hostname, Number(url.port || 5432))))
        urls.unshift(admin(url.hostname, Number(url.port || 5432)));
      return new DatabaseNodes(database, urls);
    } finally {
      await client.end();
    }
  }

  /** Runs `work`, returning its value and the CPU ms the database's backends on every node spent. */
  async watched<T>(work: () => Promise<T>): Promise<{ value: T; backendCpuMs: number | null }> {
    const watchers = this.adminUrls.map((u) => new BackendCpuWatcher(u, this.database));
    await Promise.all(watchers.map((w) => w.start()));
    const stop = async () => {
      const cpu = await Promise.all(watchers.map((w) => w.stop()));
      return cpu.some((c) => c === null) ? null : cpu.reduce<number>((a, c) => a + (c ?? 0), 0);
    };
    try {
      const value = await work();
      return { value, backendCpuMs: await stop() };
    } catch (error) {
      await stop();
      throw error;
    }
  }
}
