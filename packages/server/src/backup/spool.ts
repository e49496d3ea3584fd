import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '@hisaabo/db';

/** Every spooled file's name starts so; nothing else in the directory is touched. */
const PREFIX = 'hisaabo-spool-';

/**
 * Where the embedded database's exports and uploads wait on disk, beside the data: PGlite has one
 * connection, so no transfer may hold it at a client's network speed. The server holds the data
 * directory's lock, so files found here at start belong to a process that died: they are removed.
 */
export class SpoolDirectory {
  constructor(readonly directory: string) {}

  /** A fresh file name in the directory (the file is not created). */
  file(kind: 'export' | 'upload'): string {
    return path.join(this.directory, `${PREFIX}${kind}-${randomUUID()}.part`);
  }

  /** Removes a spooled file; never throws (it may be gone already). */
  async remove(file: string): Promise<void> {
    await rm(file, { force: true }).catch(() => {});
  }

  /** The spooled files present now (for tests and the start-up clean-up). */
  files(): string[] {
    try {
      return readdirSync(this.directory).filter((name) => name.startsWith(PREFIX));
    } catch {
      return [];
    }
  }

  /** Removes what a previous process left behind. */
  clearLeftovers(): number {
    const left = this.files();
    for (const name of left) rmSync(path.join(this.directory, name), { force: true });
    return left.length;
  }
}

/**
 * The spool of an embedded database on disk: `<data dir>/spool` next to `<data dir>/pglite`, cleared
 * of leftovers. An in-memory database (tests) gets a private temporary directory. None on PostgreSQL,
 * where transfers stream and an idle client is cut off instead.
 */
export function spoolFor(database: Database): SpoolDirectory | undefined {
  if (database.kind !== 'pglite') return undefined;
  if (database.location.startsWith('memory://')) {
    return new SpoolDirectory(mkdtempSync(path.join(os.tmpdir(), PREFIX)));
  }
  const directory = path.join(path.dirname(path.resolve(database.location)), 'spool');
  mkdirSync(directory, { recursive: true });
  const spool = new SpoolDirectory(directory);
  spool.clearLeftovers();
  return spool;
}
