import { parseArgs } from 'node:util';
import { connectForCommand, migrate, tenants } from '@hisaabo/db';
import { eq } from 'drizzle-orm';
import { checkConsistency } from './consistency.ts';
import { seedDemoOrganization } from './seed.ts';

// `npm run demo:seed -- --tenant <slug> [--invoices N] [--seed S] [--end-date YYYY-MM-DD] [--check]`
// Fills an organization (created when the slug is new) with demo books. Uses DATABASE_URL, else the
// embedded database in HISAABO_DATA_DIR, like `npm run db:migrate`.

const USAGE =
  'usage: npm run demo:seed -- --tenant <slug> [--invoices N] [--seed S] [--end-date YYYY-MM-DD] [--check | --check-only]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const HELP = `${USAGE}

Fills an organization (created when the slug is new) with demo books. Uses DATABASE_URL, else the
embedded database in HISAABO_DATA_DIR.

  --tenant <slug>          the organization (required)
  --invoices N             how many invoices (default 1000, at most 5000000)
  --seed S                 the random seed: the same seed gives the same books (default "hisaabo")
  --end-date YYYY-MM-DD    the last business date of the books (default 2026-10-31)
  --check                  check the books' consistency after seeding
  --check-only             only check the books' consistency
  -h, --help               this help`;

function parseOptions() {
  try {
    return parseArgs({
      options: {
        tenant: { type: 'string' },
        invoices: { type: 'string', default: '1000' },
        seed: { type: 'string', default: 'hisaabo' },
        'end-date': { type: 'string' },
        check: { type: 'boolean', default: false },
        'check-only': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    // An unknown or malformed option is the caller's mistake: say which, with the usage, no stack.
    return fail(error instanceof Error ? error.message : String(error));
  }
}

const values = parseOptions();
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const slug = values.tenant ?? fail('--tenant is required');
if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug))
  fail(`--tenant "${slug}": a slug is lowercase letters, digits and dashes`);
const invoices = Number(values.invoices);
if (!Number.isInteger(invoices) || invoices < 1 || invoices > 5_000_000)
  fail(`--invoices "${values.invoices}": a whole number from 1 to 5000000`);
const endDate = values['end-date'];
if (endDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(endDate))
  fail(`--end-date "${endDate}": YYYY-MM-DD`);

const database = await connectForCommand();
try {
  await migrate(database);
  let [tenant] = await database.db.select().from(tenants).where(eq(tenants.slug, slug));
  if (!tenant) {
    [tenant] = await database.db.insert(tenants).values({ name: slug, slug }).returning();
    console.error(`created organization ${slug} (${tenant!.id})`);
  }
  if (values['check-only']) {
    await report(tenant!.id);
  } else {
    await seed(tenant!.id);
    if (values.check) await report(tenant!.id);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}

async function seed(tenantId: string) {
  let last = 0;
  const result = await seedDemoOrganization(database, {
    tenantId,
    invoices,
    seed: values.seed,
    endDate,
    onProgress: (p) => {
      const now = Date.now();
      if (p.phase !== 'documents' || now - last > 2000) {
        console.error(`${p.phase}: ${p.invoices}/${p.total} invoices`);
        last = now;
      }
    },
  });
  console.log(JSON.stringify({ tenant: slug, tenantId, database: database.kind, ...result }, null, 2));
}

async function report(tenantId: string) {
  const started = Date.now();
  const problems = await checkConsistency(database.db, tenantId);
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.error(
    problems.length
      ? `${problems.length} consistency problem(s) (${took}):`
      : `consistency check: no problems (${took})`,
  );
  for (const p of problems) console.error(`- ${p.rule}: ${p.entity} ${p.id}: ${p.message}`);
  if (problems.length) process.exitCode = 1;
}
