import { Zip, ZipDeflate } from 'fflate';
import type { Db } from '@hisaabo/db';
import { BOM, csvRecord } from './encode.ts';
import { CSV_FILES, CSV_README } from './files.ts';
import { csvPage, type CsvScope } from './rows.ts';

const encoder = new TextEncoder();

/**
 * The business's CSV files as one ZIP, produced page by page: only one page of rows and the
 * compressor's window are in memory at any time, however large the business.
 */
export async function* csvZip(db: Db, scope: CsvScope): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  function* drain(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (ready.length > 0) yield ready.shift()!;
  }

  const readme = new ZipDeflate('README.txt', { level: 6 });
  zip.add(readme);
  readme.push(encoder.encode(CSV_README), true);
  yield* drain();

  for (const file of CSV_FILES) {
    const entry = new ZipDeflate(file.fileName, { level: 6 });
    zip.add(entry);
    entry.push(encoder.encode(BOM + csvRecord(file.columns)), false);
    let afterId: string | null = null;
    do {
      const page = await csvPage(db, file, scope, afterId);
      afterId = page.lastId;
      entry.push(encoder.encode(page.records.map(csvRecord).join('')), afterId === null);
      yield* drain();
    } while (afterId !== null);
  }
  zip.end();
  yield* drain();
}
