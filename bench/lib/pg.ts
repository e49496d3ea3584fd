import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the benchmark works on, through an admin URL (its `postgres` database). */
export class PgServer {
  readonly created = new Set<string>();

  constructor(readonly adminUrl: string) {}

  urlFor(database: string): string {
    const url = new URL(this.adminUrl);
    url.pathname = `/${database}`;
    return url.toString();
  }

  /** Connection arguments for the client programs (pg_dump, pg_restore, psql). */
  clientArgs(database: string): string[] {
    const url = new URL(this.adminUrl);
    const args = ['-h', url.hostname, '-p', url.port || '5432', '-d', database];
    if (url.username) args.push('-U', decodeURIComponent(url.username));
    return args;
  }

  clientEnv(): NodeJS.ProcessEnv {
    const url = new URL(this.adminUrl);
    return url.password ? { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } : process.env;
  }

  async query<T = Record<string, unknown>>(text: string, database?: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: database ? this.urlFor(database) : this.adminUrl });
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** A new empty database `hisaabo_bench_<label>_<random>`, remembered so it is always dropped. */
  async createDatabase(label: string): Promise<string> {
    const name = `hisaabo_bench_${label}_${randomBytes(4).toString('hex')}`;
    await this.query(`CREATE DATABASE ${name}`);
    this.created.add(name);
    return name;
  }

  /** A new empty database of this exact name, dropped at the end unless `keep` is called. */
  async createNamedDatabase(name: string): Promise<string> {
    await this.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await this.query(`CREATE DATABASE ${name}`);
    this.created.add(name);
    return name;
  }

  /** Leaves a database in place after the run. */
  keep(name: string): void {
    this.created.delete(name);
  }

  async dropDatabase(name: string): Promise<void> {
    await this.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    this.created.delete(name);
  }

  async dropAll(): Promise<void> {
    for (const name of [...this.created]) await this.dropDatabase(name).catch(() => {});
  }

  async version(): Promise<string> {
    const [row] = await this.query<{ server_version: string }>('SHOW server_version');
    return row?.server_version ?? 'unknown';
  }
}
