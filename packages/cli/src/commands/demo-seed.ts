import type { Command } from 'commander';
import { CliError, usageError } from '../errors.ts';
import { findLocalTenant, openLocalDatabase } from '../local/database.ts';
import { jsonOption } from '../options.ts';
import { type Output, formatDuration } from '../output.ts';
import { action } from '../run.ts';
import { tableSummaryLines } from '../archive-check.ts';

interface SeedFlags {
  tenant: string;
  invoices: string;
  seed?: string;
  dataDir?: string;
  databaseUrl?: string;
  json?: boolean;
}

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('demonstration data');
  const seed = demo
    .command('seed')
    .description(
      'fill an existing, empty organization with a realistic demo history (directly in the database)',
    )
    .requiredOption('-t, --tenant <slug|id>', 'the organization to fill')
    .option('--invoices <n>', 'number of documents', '1000')
    .option('--seed <text>', 'same seed, same data', 'hisaabo')
    .option(
      '--data-dir <dir>',
      'embedded database directory of a stopped server (default: HISAABO_DATA_DIR or ./data)',
    )
    .option('--database-url <url>', 'PostgreSQL to write to (default: DATABASE_URL)')
    .addHelpText(
      'after',
      '\nExample:\n  hisaabo demo seed --tenant demo-company --invoices 5000 --data-dir ./data',
    );
  jsonOption(seed);
  seed.action(action(seedCommand));
}

async function seedCommand(output: Output, flags: SeedFlags): Promise<void> {
  const invoices = Number(flags.invoices);
  if (!Number.isInteger(invoices) || invoices < 1)
    throw usageError(`--invoices must be a positive whole number, not "${flags.invoices}"`);
  const database = await openLocalDatabase({
    databaseUrl: flags.databaseUrl ?? process.env.DATABASE_URL,
    dataDir: flags.dataDir ?? process.env.HISAABO_DATA_DIR,
  });
  try {
    const tenant = await findLocalTenant(database, flags.tenant);
    const { seedDemoOrganization } = await import('@hisaabo/domain');
    let result: Awaited<ReturnType<typeof seedDemoOrganization>>;
    try {
      result = await seedDemoOrganization(database, { tenantId: tenant.id, invoices, seed: flags.seed });
    } catch (error) {
      throw new CliError('server_error', `seeding ${tenant.slug} failed: ${(error as Error).message}`, {
        hint: 'seed only a new, empty organization',
      });
    }
    const rows = Object.fromEntries(
      Object.entries(result.rows).map(([table, count]) => [table, { rows: count }]),
    );
    output.result(
      [`Seeded ${tenant.slug} in ${formatDuration(result.durationMs)}:`, ...tableSummaryLines(rows)],
      { ok: true, tenant, ...result },
    );
  } finally {
    await database.close();
  }
}
