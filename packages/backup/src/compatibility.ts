import { APP_VERSION } from './app-version.ts';
import { BackupError, invalid } from './errors.ts';
import { FORMAT_VERSION, type Manifest } from './manifest.ts';
import type { Row } from './row-validator.ts';
import { CURRENT_SCHEMA_VERSION, KNOWN_SCHEMA_CHECKSUMS } from './schema-versions.ts';
import { type TableDef, schemaChecksum } from './table-defs.ts';
import { composeRowUpgrades, upgradePath } from './upgrades/index.ts';

export interface Compatibility {
  formatVersion: number;
  sourceAppVersion: string;
  targetAppVersion: string;
  appVersionMatch: boolean;
  sourceSchemaVersion: number;
  targetSchemaVersion: number;
  sourceSchemaChecksum: string;
  targetSchemaChecksum: string;
  schemaChecksumMatch: boolean;
  /** Descriptions of the upgrade steps applied to the archive's rows, in order. */
  upgrades: string[];
}

/** How this code reads an archive: the archive's tables, and the steps taking rows to our schema. */
export interface ReadPlan {
  compatibility: Compatibility;
  /** Table definitions as written in the archive (validated against its checksum). */
  sourceTables: TableDef[];
  /** Table definitions after upgrading: those of this code's schema version. */
  targetTables: TableDef[];
  upgradeRow(table: string, row: Row): Row;
}

/**
 * Decides whether this code can read the archive: same format, a checksum that is the known one of
 * its version, and a version no newer than ours (older ones are upgraded step by step).
 */
export function planRead(manifest: Manifest): ReadPlan {
  const targetChecksum = KNOWN_SCHEMA_CHECKSUMS[CURRENT_SCHEMA_VERSION] ?? 'unknown';
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new BackupError(
      'INCOMPATIBLE_VERSION',
      `the archive is in format version ${manifest.formatVersion}; this server reads format version ${FORMAT_VERSION}`,
    );
  }
  const computed = schemaChecksum(manifest.tables);
  if (computed !== manifest.schemaChecksum) {
    throw invalid(
      `the manifest's column definitions hash to ${computed}, not to its schemaChecksum ${manifest.schemaChecksum}`,
      { table: 'manifest.json' },
    );
  }
  const source = manifest.schemaVersion;
  if (source > CURRENT_SCHEMA_VERSION) {
    throw new BackupError(
      'INCOMPATIBLE_VERSION',
      `the archive has schema version ${source}, newer than this server's schema version ${CURRENT_SCHEMA_VERSION}: ` +
        `restore it with a Hisaabo whose schema version is ${source} or later (archive written by ${manifest.appVersion}, this server is ${APP_VERSION})`,
    );
  }
  const known = KNOWN_SCHEMA_CHECKSUMS[source];
  if (known !== manifest.schemaChecksum) {
    throw new BackupError(
      'INCOMPATIBLE_VERSION',
      `the archive's schema checksum ${manifest.schemaChecksum} is not the one of schema version ${source}` +
        `${known ? ` (${known})` : ' (a version this server never had)'}; this server has schema version ${CURRENT_SCHEMA_VERSION}`,
    );
  }
  const steps = upgradePath(source, CURRENT_SCHEMA_VERSION);
  if (!steps) {
    throw new BackupError(
      'INCOMPATIBLE_VERSION',
      `no upgrade path from schema version ${source} to ${CURRENT_SCHEMA_VERSION}`,
    );
  }
  let targetTables: TableDef[] = manifest.tables;
  for (const step of steps) targetTables = step.upgradeTables(targetTables);
  if (schemaChecksum(targetTables) !== targetChecksum) {
    throw new BackupError(
      'INCOMPATIBLE_VERSION',
      `upgrading schema version ${source} to ${CURRENT_SCHEMA_VERSION} does not give this server's schema`,
    );
  }
  return {
    compatibility: {
      formatVersion: manifest.formatVersion,
      sourceAppVersion: manifest.appVersion,
      targetAppVersion: APP_VERSION,
      appVersionMatch: manifest.appVersion === APP_VERSION,
      sourceSchemaVersion: source,
      targetSchemaVersion: CURRENT_SCHEMA_VERSION,
      sourceSchemaChecksum: manifest.schemaChecksum,
      targetSchemaChecksum: targetChecksum,
      schemaChecksumMatch: manifest.schemaChecksum === targetChecksum,
      upgrades: steps.map((s) => `schema ${s.from} → ${s.to}: ${s.description}`),
    },
    sourceTables: manifest.tables,
    targetTables,
    upgradeRow: composeRowUpgrades(steps),
  };
}
