import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveReader, DEFAULT_LIMITS } from '../src/archive-reader.ts';
import { BackupError } from '../src/errors.ts';
import { toStream, writeArchive } from './support/archive.ts';

// The tar.gz layer alone: every entry of a sound archive, each refusal with its code and words.

const FIXTURE = new URL('./fixtures/schema-v1-rich.tar.gz', import.meta.url);
const roomy = { maxArchiveBytes: 1 << 30, maxLineBytes: 1 << 20 };

/** Every entry's name and body; the refusal if the reader refuses. */
async function readAll(
  bytes: Buffer,
  limits = roomy,
): Promise<{ names: string[]; error: BackupError | null }> {
  const reader = new ArchiveReader(toStream(bytes), limits);
  const names: string[] = [];
  try {
    for (let entry = await reader.next(); entry; entry = await reader.next()) {
      names.push(entry.name);
      for await (const _ of entry.body);
    }
    return { names, error: null };
  } catch (error) {
    expect(error).toBeInstanceOf(BackupError);
    return { names, error: error as BackupError };
  }
}

describe('archive reader', () => {
  it('has the documented default limits: 8 GiB decompressed, 32 MiB a line', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxArchiveBytes: 8 * 1024 ** 3, maxLineBytes: 32 * 1024 ** 2 });
  });

  it('reads an archive of exactly the decompressed limit, and refuses one byte less', async () => {
    const bytes = await writeArchive([{ name: 'a.ndjson', body: 'x\n' }]);
    const size = gunzipSync(bytes).length;
    expect(await readAll(bytes, { ...roomy, maxArchiveBytes: size })).toEqual({
      names: ['a.ndjson'],
      error: null,
    });
    const { error } = await readAll(bytes, { ...roomy, maxArchiveBytes: size - 1 });
    expect(error!.code).toBe('ARCHIVE_TOO_LARGE');
    expect(error!.message).toBe(
      `the archive decompresses to more than ${size - 1} bytes, the limit of this server`,
    );
  });

  it('refuses a truncated gzip stream, even when only its trailer is missing', async () => {
    const archive = await readFile(FIXTURE);
    for (const bytes of [archive.subarray(0, archive.length - 4), archive.subarray(0, archive.length >> 1)]) {
      const { error } = await readAll(bytes);
      expect(error!.code).toBe('INVALID_ARCHIVE');
      expect(error!.message).toBe('the archive is truncated: the gzip stream ends before its end marker');
    }
  });

  it('refuses a tar that ends inside an entry, while that entry is read, naming the tar as corrupt', async () => {
    const tarBytes = gunzipSync(await writeArchive([{ name: 'b.ndjson', body: `${'y'.repeat(1 << 20)}\n` }]));
    // A sound gzip stream of a tar cut in the middle of the entry's body.
    const { names, error } = await readAll(gzipSync(tarBytes.subarray(0, 600_000)));
    expect(names).toEqual(['b.ndjson']);
    expect(error!.code).toBe('INVALID_ARCHIVE');
    expect(error!.message).toBe('the tar archive is corrupt (Unexpected end of data)');
  });

  it('refuses damage that comes after the tar end marker (a wrong gzip checksum past padding)', async () => {
    const tarBytes = gunzipSync(await writeArchive([{ name: 'a.ndjson', body: 'x\n' }]));
    // Megabytes of zero padding after the end marker, then a trailer whose CRC is wrong: every entry
    // is read whole before the damage shows, and the archive must still be refused.
    const gz = gzipSync(Buffer.concat([tarBytes, Buffer.alloc(4 << 20)]));
    gz[gz.length - 8]! ^= 0xff;
    const { names, error } = await readAll(gz);
    expect(names).toEqual(['a.ndjson']);
    expect(error!.code).toBe('INVALID_ARCHIVE');
    expect(error!.message).toBe('the file is not a valid gzip stream (incorrect data check)');
  });

  it('names what is wrong: not gzip, or gzip of something that is not a tar', async () => {
    const notGzip = await readAll(Buffer.from('PK\u0003\u0004 not a tar.gz'));
    expect(notGzip.error!.message).toBe('the file is not a valid gzip stream (incorrect header check)');
    const notTar = await readAll(gzipSync(Buffer.alloc(1024, 'x')));
    expect(notTar.error!.code).toBe('INVALID_ARCHIVE');
    expect(notTar.error!.message).toMatch(/^the tar archive is corrupt \(\w.*\)$/);
  });

  it('refuses a link or an unsafe name, with the entry named', async () => {
    const link = await writeArchive([
      { name: 'a.ndjson', body: '', header: { type: 'symlink', linkname: 'b' } },
    ]);
    expect((await readAll(link)).error!.message).toBe(
      'entry "a.ndjson" is a symlink, not a regular file; archives hold regular files only',
    );
    for (const name of ['../a.ndjson', '/a.ndjson', 'a/b.ndjson', '.a.ndjson', 'A.ndjson', 'a b']) {
      const { error } = await readAll(await writeArchive([{ name, body: 'x\n' }]));
      expect(error!.message, name).toBe(
        `entry name "${name}" is not allowed (absolute, "..", a directory or unusual characters)`,
      );
    }
  });

  it('gives each entry its size', async () => {
    const reader = new ArchiveReader(
      toStream(await writeArchive([{ name: 'a.ndjson', body: 'xyz\n' }])),
      roomy,
    );
    expect((await reader.next())!.size).toBe(4);
  });

  it('releases the input when abandoned', async () => {
    // An input that never ends by itself: only abandoning the reader can close it.
    const input = new Readable({ read() {} });
    input.push(await readFile(FIXTURE));
    const reader = new ArchiveReader(input, roomy);
    expect(await reader.next()).not.toBeNull();
    reader.abandon();
    reader.abandon();
    await new Promise((resolve) => setImmediate(resolve));
    expect(input.destroyed).toBe(true);
  });
});
