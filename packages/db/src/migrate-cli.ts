import { connect, type Database, optionsFromEnv } from './connect.ts';
import { DataDirectoryBusyError } from './data-dir-lock.ts';
import { appliedSchemaVersion, migrate } from './migrate.ts';

// `npm run db:migrate`: applies migrations to DATABASE_URL, or to the embedded database.
let database: Database;
try {
  database = await connect(optionsFromEnv());
} catch (error) {
  if (!(error instanceof DataDirectoryBusyError)) throw error;
  console.error(error.message);
  // 5, like the hisaabo command line when the embedded database is in use.
  process.exit(5);
}
try {
  await migrate(database);
  console.log(
    `${database.kind} at ${database.location}: schema version ${await appliedSchemaVersion(database)}`,
  );
} finally {
  await database.close();
}
