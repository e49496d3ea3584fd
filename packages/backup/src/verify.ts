import type { Readable } from 'node:stream';
import { OpenedArchive } from './archive-walker.ts';
import type { Compatibility } from './compatibility.ts';
import { BackupError, type BackupIssue, type BackupWarning } from './errors.ts';
import type { Manifest } from './manifest.ts';
import { ReferenceChecker } from './references.ts';

export interface VerifyOptions {
  maxArchiveBytes?: number;
  maxLineBytes?: number;
}

export interface VerifyReport {
  ok: boolean;
  manifest?: Manifest;
  tables: Record<string, { rows: number; bytes: number }>;
  errors: BackupIssue[];
  warnings: BackupWarning[];
  compatibility?: Compatibility;
}

/**
 * Checks an archive without a database: everything a restore checks except the target, plus that
 * every reference resolves inside the archive. Archive problems are reported, never thrown.
 */
export async function verifyArchive(input: Readable, options: VerifyOptions = {}): Promise<VerifyReport> {
  let archive: OpenedArchive;
  try {
    archive = await OpenedArchive.open(input, options);
  } catch (error) {
    if (error instanceof BackupError) return { ok: false, tables: {}, errors: error.errors, warnings: [] };
    throw error;
  }
  const { manifest, plan } = archive;
  const warnings: BackupWarning[] = plan.compatibility.upgrades.map((u) => ({
    message: `a restore will upgrade the archive: ${u}`,
  }));
  for (const table of manifest.tables) {
    for (const [column, reason] of Object.entries(table.redacted ?? {})) {
      warnings.push({ table: table.name, message: `${column} is not in backups (${reason})` });
    }
  }
  const references = new ReferenceChecker();
  const base = { manifest, warnings, compatibility: plan.compatibility };
  try {
    const result = await archive.readTables({
      startTable: (table) => references.startTable(table.name),
      row: (table, row, line) => references.row(table.name, row, line),
      endTable: (table) => references.endTable(table.name),
    });
    return {
      ...base,
      ok: references.issues.length === 0,
      tables: result.tables,
      errors: references.issues.slice(0, 100),
    };
  } catch (error) {
    if (error instanceof BackupError) return { ...base, ok: false, tables: {}, errors: error.errors };
    throw error;
  }
}
