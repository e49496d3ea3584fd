// Run as a child process by export-memory.test.ts under a small JavaScript heap: fills an embedded
// database with an organization whose invoices carry large notes, exports it to the file named by
// its first argument, and prints the export summary as JSON.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { connect, migrate } from '@hisaabo/db';
import { sql } from 'drizzle-orm';
import { exportTenant } from '../../src/index.ts';
import { addBulkInvoices } from '../support/bulk.ts';
import { createTenant, seedRichOrganization } from '../support/rich-organization.ts';

const [archivePath, invoiceCount, noteBytes] = process.argv.slice(2) as [string, string, string];
const database = await connect({ dataDir: 'memory://' });
await migrate(database);
const tenant = await createTenant(database);
await seedRichOrganization(database, tenant.id);
await addBulkInvoices(database, tenant.id, Number(invoiceCount));
await database.db.execute(sql`
  UPDATE invoices SET notes = rpad(number || ' ', ${Number(noteBytes)}, 'Large note, kept whole by the backup. ')
  WHERE tenant_id = ${tenant.id}::uuid AND number LIKE 'BULK-%'`);

const handle = exportTenant(database, tenant.id);
await pipeline(handle.stream, createWriteStream(archivePath));
const summary = await handle.done;
await database.close();
process.stdout.write(`${JSON.stringify({ tenantId: tenant.id, summary })}\n`);
