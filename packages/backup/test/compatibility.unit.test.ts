import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_VERSION } from '../src/app-version.ts';
import { planRead } from '../src/compatibility.ts';
import { BackupError } from '../src/errors.ts';
import { type Manifest, manifestSchema } from '../src/manifest.ts';
import { CURRENT_SCHEMA_VERSION, KNOWN_SCHEMA_CHECKSUMS } from '../src/schema-versions.ts';
import { schemaChecksum } from '../src/table-defs.ts';
import { readEntries } from './support/archive.ts';

// Which archives this code reads, decided from the manifest alone: the stored schema-1 archive's
// manifest, as written, and as an archive of the current schema would have it.

let v1: Manifest;
let current: Manifest;
beforeAll(async () => {
  const entries = await readEntries(
    await readFile(new URL('./fixtures/schema-v1-rich.tar.gz', import.meta.url)),
  );
  v1 = manifestSchema.parse(JSON.parse(entries.find((e) => e.name === 'manifest.json')!.body.toString()));
  const tables = planRead(v1).targetTables;
  current = { ...v1, schemaVersion: CURRENT_SCHEMA_VERSION, tables, schemaChecksum: schemaChecksum(tables) };
});

function refusal(manifest: Manifest): BackupError {
  try {
    planRead(manifest);
  } catch (error) {
    expect(error).toBeInstanceOf(BackupError);
    return error as BackupError;
  }
  throw new Error('planRead accepted the manifest');
}

describe('planRead', () => {
  it('reads an archive of the current schema as it is: no upgrade, rows unchanged', () => {
    const plan = planRead({ ...current, appVersion: APP_VERSION });
    expect(plan.compatibility).toEqual({
      formatVersion: 1,
      sourceAppVersion: APP_VERSION,
      targetAppVersion: APP_VERSION,
      appVersionMatch: true,
      sourceSchemaVersion: CURRENT_SCHEMA_VERSION,
      targetSchemaVersion: CURRENT_SCHEMA_VERSION,
      sourceSchemaChecksum: KNOWN_SCHEMA_CHECKSUMS[CURRENT_SCHEMA_VERSION],
      targetSchemaChecksum: KNOWN_SCHEMA_CHECKSUMS[CURRENT_SCHEMA_VERSION],
      schemaChecksumMatch: true,
      upgrades: [],
    });
    expect(plan.targetTables).toEqual(plan.sourceTables);
    const row = { id: 'x' };
    expect(plan.upgradeRow('invoices', row)).toBe(row);
  });

  it('upgrades an older archive step by step, saying so', () => {
    const plan = planRead({ ...v1, appVersion: 'an older release' });
    expect(plan.compatibility).toMatchObject({
      sourceAppVersion: 'an older release',
      appVersionMatch: false,
      sourceSchemaVersion: 1,
      sourceSchemaChecksum: KNOWN_SCHEMA_CHECKSUMS[1],
      schemaChecksumMatch: false,
    });
    expect(plan.compatibility.upgrades).toHaveLength(CURRENT_SCHEMA_VERSION - 1);
    expect(plan.compatibility.upgrades[0]).toMatch(/^schema 1 → 2: \S.+/);
    expect(plan.upgradeRow('invoices', { id: 'x' })).not.toEqual({ id: 'x' });
  });

  it('refuses another format version', () => {
    const error = refusal({ ...current, formatVersion: 2 });
    expect(error.code).toBe('INCOMPATIBLE_VERSION');
    expect(error.message).toBe('the archive is in format version 2; this server reads format version 1');
  });

  it('refuses column definitions that do not hash to the manifest checksum, naming the manifest', () => {
    const error = refusal({ ...current, schemaChecksum: KNOWN_SCHEMA_CHECKSUMS[1]! });
    expect(error.code).toBe('INVALID_ARCHIVE');
    expect(error.errors).toMatchObject([
      {
        table: 'manifest.json',
        message: expect.stringMatching(/^the manifest's column definitions hash to sha256:/),
      },
    ]);
  });

  it('refuses a newer schema version, saying which server can read it', () => {
    const newer = CURRENT_SCHEMA_VERSION + 1;
    const error = refusal({ ...current, schemaVersion: newer, appVersion: '9.9.9' });
    expect(error.code).toBe('INCOMPATIBLE_VERSION');
    expect(error.message).toBe(
      `the archive has schema version ${newer}, newer than this server's schema version ${CURRENT_SCHEMA_VERSION}: ` +
        `restore it with a Hisaabo whose schema version is ${newer} or later (archive written by 9.9.9, this server is ${APP_VERSION})`,
    );
  });

  it("refuses a checksum that is not its version's, naming the known one or saying there is none", () => {
    const wrong = refusal({ ...current, schemaVersion: 1 });
    expect(wrong.code).toBe('INCOMPATIBLE_VERSION');
    expect(wrong.message).toBe(
      `the archive's schema checksum ${current.schemaChecksum} is not the one of schema version 1 (${KNOWN_SCHEMA_CHECKSUMS[1]}); this server has schema version ${CURRENT_SCHEMA_VERSION}`,
    );
    const unknown = refusal({ ...current, schemaVersion: 0 });
    expect(unknown.message).toBe(
      `the archive's schema checksum ${current.schemaChecksum} is not the one of schema version 0 (a version this server never had); this server has schema version ${CURRENT_SCHEMA_VERSION}`,
    );
  });
});
