import { connect, optionsFromEnv } from './connect.ts';
import { appliedSchemaVersion, migrate } from './migrate.ts';

// `npm run db:migrate`: applies migrations to DATABASE_URL, or to the embedded database.
const database = await connect(optionsFromEnv());
try {
  await migrate(database);
  console.log(
    `${database.kind} at ${database.location}: schema version ${await appliedSchemaVersion(database)}`,
  );
} finally {
  await database.close();
}
