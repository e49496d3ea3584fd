// Run as a child process by lazy-pglite.test.ts, with module-probe/register.mjs imported first.
// Imports the database and backup packages, opens the database named by its argument, runs one
// query, and prints the PGlite modules that were loaded, as JSON: those the hooks saw resolve, and
// any that entered the CommonJS cache.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';

const [location] = process.argv.slice(2) as [string | undefined];
const { connect } = await import('@hisaabo/db');
await import('@hisaabo/backup');
if (location) {
  const database = await connect(
    location.startsWith('postgres') ? { databaseUrl: location } : { dataDir: location },
  );
  await database.db.execute(sql`SELECT 1`);
  await database.close();
}

const log = process.env.MODULE_PROBE_LOG;
const resolved = log ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
const required = Object.keys(createRequire(import.meta.url).cache).filter((file) =>
  /[\\/]@electric-sql[\\/]pglite[\\/]/.test(file),
);
process.stdout.write(`${JSON.stringify({ modules: [...new Set([...resolved, ...required])] })}\n`);
