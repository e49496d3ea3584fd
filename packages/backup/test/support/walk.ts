import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { OpenedArchive } from '../../src/archive-walker.ts';
import { BackupError } from '../../src/errors.ts';
import { type TarEntry, readEntries, toStream } from './archive.ts';

/** The stored schema-v1 archive with a row in every table, as tar entries. */
export async function richFixtureEntries(): Promise<TarEntry[]> {
  return readEntries(await readFile(new URL('../fixtures/schema-v1-rich.tar.gz', import.meta.url)));
}

/** What a promise ends with when it fails; undefined when it does not. */
export const failureOf = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

/** The BackupError a full walk of `bytes` ends with (opening included). */
export async function walkError(bytes: Buffer): Promise<BackupError> {
  const failure = await failureOf(
    (async () => {
      const archive = await OpenedArchive.open(toStream(bytes));
      await archive.readTables({});
    })(),
  );
  expect(failure).toBeInstanceOf(BackupError);
  return failure as BackupError;
}
