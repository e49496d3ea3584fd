import { connectForCommand } from './command-connect.ts';
import { appliedSchemaVersion, migrate } from './migrate.ts';

// `npm run db:migrate`: applies migrations to DATABASE_URL, or to the embedded database.
const database = await connectForCommand();
try {
  await migrate(database);
  console.log(
    `${database.kind} at ${database.location}: schema version ${await appliedSchemaVersion(database)}`,
  );
} finally {
  await database.close();
}
