import path from 'node:path';

/** The organization's folder in the backup directory: named by its id, which never changes. */
export function tenantFolder(directory: string, tenantId: string): string {
  return path.join(directory, tenantId);
}

/** `hisaabo-<slug>-<YYYYMMDDTHHMMSSZ>-<id>.tar.gz[.age]`: sorts by time, unique by the run's id. */
export function storedFileName(slug: string, id: string, at: Date, encrypted: boolean): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `hisaabo-${slug}-${stamp}Z-${id}.tar.gz${encrypted ? '.age' : ''}`;
}

const PARTIAL = /^\.([0-9a-f-]{36})\.partial$/;

/** Where a run writes before its file is complete: hidden, and never taken for a backup. */
export function partialFileName(id: string): string {
  return `.${id}.partial`;
}

/** The run id of a partial file's name, or undefined for any other file. */
export function partialRunId(fileName: string): string | undefined {
  return PARTIAL.exec(fileName)?.[1];
}
