import { readFileSync, readdirSync } from 'node:fs';
import { queryRows } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRead } from '../src/compatibility.ts';
import {
  CURRENT_SCHEMA_VERSION,
  KNOWN_SCHEMA_CHECKSUMS,
  liveTableDefs,
  restoreTenant,
  schemaChecksum,
  verifyArchive,
} from '../src/index.ts';
import { type Manifest, manifestSchema } from '../src/manifest.ts';
import { UPGRADE_STEPS, upgradePath } from '../src/upgrades/index.ts';
import { v1ToV2InvoiceIrn } from '../src/upgrades/v1-to-v2-invoice-irn.ts';
import { exportToBuffer, readEntries, tableEntries, toStream } from './support/archive.ts';
import { createTenant, seedRichOrganization } from './support/rich-organization.ts';

const fixturesDir = new URL('./fixtures/', import.meta.url);
const v1Archive = readFileSync(new URL('schema-v1-rich.tar.gz', fixturesDir));

async function manifestOf(archive: Buffer): Promise<Manifest> {
  const entries = await readEntries(archive);
  return manifestSchema.parse(JSON.parse(entries[0]!.body.toString('utf8')));
}

describe('schema versions', () => {
  it('knows a checksum for every version up to the current one, and a step between each', () => {
    for (let v = 1; v <= CURRENT_SCHEMA_VERSION; v += 1)
      expect(KNOWN_SCHEMA_CHECKSUMS[v], `version ${v}`).toMatch(/^sha256:/);
    expect(upgradePath(1, CURRENT_SCHEMA_VERSION)).toHaveLength(CURRENT_SCHEMA_VERSION - 1);
    expect(UPGRADE_STEPS.map((s) => [s.from, s.to])).toEqual(
      Array.from({ length: CURRENT_SCHEMA_VERSION - 1 }, (_, i) => [i + 1, i + 2]),
    );
  });

  it('keeps a stored archive for every older schema version', () => {
    const files = readdirSync(fixturesDir);
    for (let v = 1; v < CURRENT_SCHEMA_VERSION; v += 1) {
      expect(
        files.some((f) => f.startsWith(`schema-v${v}-`) && f.endsWith('.tar.gz')),
        `fixture of v${v}`,
      ).toBe(true);
    }
  });

  it('stored v1 archive is what schema 1 was', async () => {
    const manifest = await manifestOf(v1Archive);
    expect(manifest.schemaVersion).toBe(1);
    expect(manifest.schemaChecksum).toBe(KNOWN_SCHEMA_CHECKSUMS[1]);
    expect(schemaChecksum(manifest.tables)).toBe(KNOWN_SCHEMA_CHECKSUMS[1]);
  });
});

describe('upgrade step 1 → 2 (invoices.irn)', () => {
  it('turns the schema-1 column definitions into exactly schema 2', async () => {
    const manifest = await manifestOf(v1Archive);
    expect(schemaChecksum(v1ToV2InvoiceIrn.upgradeTables(manifest.tables))).toBe(KNOWN_SCHEMA_CHECKSUMS[2]);
  });

  it('gives every invoice irn = null and leaves other tables alone', () => {
    const invoice = { id: 'x', total: '1.00' };
    expect(v1ToV2InvoiceIrn.upgradeRow('invoices', { ...invoice })).toEqual({ ...invoice, irn: null });
    const party = { id: 'y', name: 'P' };
    expect(v1ToV2InvoiceIrn.upgradeRow('parties', { ...party })).toEqual(party);
  });

  it('plans the read of a v1 archive with that step', async () => {
    const plan = planRead(await manifestOf(v1Archive));
    expect(plan.compatibility).toMatchObject({
      sourceSchemaVersion: 1,
      targetSchemaVersion: CURRENT_SCHEMA_VERSION,
      schemaChecksumMatch: false,
    });
    expect(plan.compatibility.upgrades).toHaveLength(CURRENT_SCHEMA_VERSION - 1);
  });

  it('verifies the v1 archive offline, saying it will be upgraded', async () => {
    const report = await verifyArchive(toStream(v1Archive));
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.warnings.some((w) => w.message.includes('schema 1 → 2'))).toBe(true);
  });
});

for (const backend of testBackends()) {
  describe(`restoring the stored v1 archive on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    it('matches the live schema checksum of the current version', async () => {
      expect(schemaChecksum(await liveTableDefs(database.db))).toBe(
        KNOWN_SCHEMA_CHECKSUMS[CURRENT_SCHEMA_VERSION],
      );
    });

    it('keeps archives compatible across a change to server tables only', async () => {
      // An account table (not an organization table) with an extra column: the archive's version and
      // checksum describe the organization tables only, so they do not change and the archive still
      // restores where that column does not exist.
      const other = await backend.create();
      try {
        await other.db.execute('ALTER TABLE users ADD COLUMN nickname text');
        const source = await createTenant(other);
        await seedRichOrganization(other, source.id);
        const { archive } = await exportToBuffer(other, source.id);
        const manifest = await manifestOf(archive);
        expect(manifest.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
        expect(manifest.schemaChecksum).toBe(KNOWN_SCHEMA_CHECKSUMS[CURRENT_SCHEMA_VERSION]);
        const target = await createTenant(database);
        const report = await restoreTenant(database, target.id, toStream(archive));
        expect(report.compatibility.upgrades).toEqual([]);
      } finally {
        await other.close();
      }
    });

    it('upgrades every row and changes nothing else', async () => {
      const target = await createTenant(database);
      const report = await restoreTenant(database, target.id, toStream(v1Archive));
      expect(report.source.schemaVersion).toBe(1);
      expect(report.compatibility.upgrades.length).toBe(CURRENT_SCHEMA_VERSION - 1);
      expect(report.warnings).toEqual(
        expect.arrayContaining([
          { message: `archive upgraded: schema 1 → 2: ${v1ToV2InvoiceIrn.description}` },
        ]),
      );
      expect(report.rowsInserted.invoices).toBe(8);
      const irns = await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM invoices WHERE tenant_id = ${target.id} AND irn IS NULL`,
      );
      expect(irns[0]!.n).toBe(8);

      const before = tableEntries(await readEntries(v1Archive));
      const after = tableEntries(await readEntries((await exportToBuffer(database, target.id)).archive));
      for (const [name, body] of before) {
        const expected =
          name === 'invoices.ndjson'
            ? body.toString('utf8').replaceAll(/}\n/g, ',"irn":null}\n')
            : body.toString('utf8');
        expect(after.get(name)!.toString('utf8'), name).toBe(expected);
      }
    });
  });
}
