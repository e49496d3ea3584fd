import type { Readable } from 'node:stream';
import type { VerifyReport } from '@hisaabo/backup';
import { formatArchiveError } from './api/schemas.ts';
import { badFile, CliError } from './errors.ts';
import { formatBytes } from './output.ts';

/** The offline archive check of the backup engine, loaded only by the commands that need it. */
export async function verifyStream(stream: Readable): Promise<VerifyReport> {
  const { verifyArchive } = await import('@hisaabo/backup');
  try {
    return await verifyArchive(stream);
  } catch (error) {
    // A decryption failure mid-stream reaches the verifier as its input's error.
    if (error instanceof CliError) throw error;
    throw badFile(`cannot read the archive: ${(error as Error).message}`);
  }
}

/** Exit 4 naming every problem (table, line, column), the first ones at least. */
export function failIfInvalid(report: VerifyReport, file: string): void {
  if (report.ok) return;
  const details = report.errors.slice(0, 20).map(formatArchiveError);
  if (report.errors.length > 20) details.push(`… and ${report.errors.length - 20} more`);
  throw badFile(`${file} is not a valid Hisaabo backup`, {
    details,
    report,
    hint: 'nothing was sent or changed; use an intact copy of the backup (`hisaabo verify -i <file>` checks one)',
  });
}

/** Per-table rows and sizes, then the total, in the order the archive lists them. */
export function tableSummaryLines(tables: Record<string, { rows: number; bytes?: number }>): string[] {
  const names = Object.keys(tables);
  const width = Math.max(5, ...names.map((name) => name.length));
  const lines = names.map((name) => {
    const entry = tables[name]!;
    const size = entry.bytes === undefined ? '' : `  ${formatBytes(entry.bytes).padStart(10)}`;
    return `  ${name.padEnd(width)}  ${String(entry.rows).padStart(9)} rows${size}`;
  });
  const total = names.reduce((sum, name) => sum + tables[name]!.rows, 0);
  lines.push(`  ${'total'.padEnd(width)}  ${String(total).padStart(9)} rows in ${names.length} tables`);
  return lines;
}

export function totalRows(tables: Record<string, { rows: number }>): number {
  return Object.values(tables).reduce((sum, entry) => sum + entry.rows, 0);
}

/** "my-company (My Company), exported 2026-…, app 0.1.0, schema 1". */
export function describeSource(manifest: VerifyReport['manifest']): string | undefined {
  if (!manifest) return undefined;
  const { source } = manifest;
  return `${source.slug} (${source.name}), exported ${manifest.exportedAt}, app ${manifest.appVersion}, schema ${manifest.schemaVersion}`;
}
