import type { Command } from 'commander';
import { openFailure } from '../local/database.ts';
import { jsonOption } from '../options.ts';
import type { Output } from '../output.ts';
import { action } from '../run.ts';

interface MigrateFlags {
  dataDir?: string;
  databaseUrl?: string;
  json?: boolean;
}

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database maintenance (operators)');
  const migrate = db
    .command('migrate')
    .description('apply pending migrations (the server also does at start); safe to run while servers start')
    .option('--data-dir <dir>', 'embedded database directory (default: HISAABO_DATA_DIR or ./data)')
    .option('--database-url <url>', 'PostgreSQL to migrate (default: DATABASE_URL)')
    .addHelpText(
      'after',
      '\nExamples:\n  hisaabo db migrate\n  hisaabo db migrate --database-url postgres://user@localhost/hisaabo',
    );
  jsonOption(migrate);
  migrate.action(action(migrateCommand));
}

async function migrateCommand(output: Output, flags: MigrateFlags): Promise<void> {
  const { connect, migrate, appliedSchemaVersion, pgliteDirectoryIn } = await import('@hisaabo/db');
  const databaseUrl = flags.databaseUrl ?? process.env.DATABASE_URL;
  const dataDir = pgliteDirectoryIn(flags.dataDir ?? process.env.HISAABO_DATA_DIR ?? 'data');
  const database = await connect(databaseUrl ? { databaseUrl, maxConnections: 2 } : { dataDir }).catch(
    (error: Error) => {
      throw openFailure(error);
    },
  );
  try {
    const before = await appliedSchemaVersion(database).catch(() => 0);
    await migrate(database);
    const after = await appliedSchemaVersion(database);
    output.result(
      [
        after === before
          ? `${database.kind} at ${database.location}: already at schema version ${after}.`
          : `${database.kind} at ${database.location}: migrated from schema version ${before} to ${after}.`,
      ],
      {
        ok: true,
        database: database.kind,
        location: database.location,
        schemaVersionBefore: before,
        schemaVersion: after,
      },
    );
  } finally {
    await database.close();
  }
}
