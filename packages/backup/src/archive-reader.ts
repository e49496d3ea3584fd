import { type Readable, Transform, type TransformCallback, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';

type Source = AsyncIterable<Buffer> & { header: tar.Header; resume(): unknown };
import { BackupError, invalid } from './errors.ts';

export interface ArchiveLimits {
  /** Decompressed bytes allowed in total: the gzip-bomb guard. */
  maxArchiveBytes: number;
  /** Longest NDJSON line allowed, in bytes. */
  maxLineBytes: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 8 * 1024 * 1024 * 1024,
  maxLineBytes: 32 * 1024 * 1024,
};

export interface ArchiveEntry {
  name: string;
  size: number;
  body: AsyncIterable<Buffer>;
}

/** Fails the stream as soon as more than `limit` bytes went through. */
class SizeGuard extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      callback(
        new BackupError(
          'ARCHIVE_TOO_LARGE',
          `the archive decompresses to more than ${this.limit} bytes, the limit of this server`,
        ),
      );
      return;
    }
    callback(null, chunk);
  }
}

/** A relative, flat, plain name: no directory, no `..`, no absolute path, no odd characters. */
const SAFE_NAME = /^[a-z0-9_][a-z0-9_.-]*$/;

/**
 * Reads a .tar.gz strictly, entry by entry, without holding any entry in memory: only regular files
 * with safe names pass; anything else (links, devices, directories, `..`, absolute paths) is refused.
 */
export class ArchiveReader {
  private readonly extract: tar.Extract;
  private readonly iterator: AsyncIterator<Source>;
  private readonly piped: Promise<void>;
  private failure: Error | null = null;

  constructor(input: Readable, limits: ArchiveLimits) {
    this.extract = tar.extract();
    this.piped = new Promise((resolve) => {
      pipeline(
        input,
        // 64 KiB pieces: a batch's text and its COPY text then stay below V8's large-object size
        // and die young. With 256 KiB pieces each was a large object, freed only by a full
        // collection, and 20 to 35 MB of them waited for one (docs/benchmarks.md, memory).
        createGunzip({ chunkSize: 64 * 1024 }),
        new SizeGuard(limits.maxArchiveBytes),
        this.extract,
        (error) => {
          if (error) this.failure = translate(error);
          resolve();
        },
      );
    });
    this.iterator = this.extract[Symbol.asyncIterator]() as unknown as AsyncIterator<Source>;
  }

  /** The next entry, or null at the end of the archive. Its body must be consumed before the next call. */
  async next(): Promise<ArchiveEntry | null> {
    let step: IteratorResult<Source>;
    try {
      step = await this.iterator.next();
    } catch (error) {
      throw this.failure ?? translate(error);
    }
    if (step.done) {
      // The tar end marker can come before a broken gzip trailer: wait for the whole stream.
      await this.piped;
      if (this.failure) throw this.failure;
      return null;
    }
    const entry = step.value;
    const header = entry.header;
    const name = header.name;
    if (header.type !== 'file') {
      entry.resume();
      throw invalid(
        `entry "${name}" is a ${header.type}, not a regular file; archives hold regular files only`,
      );
    }
    if (name.startsWith('/') || name.split('/').includes('..') || !SAFE_NAME.test(name)) {
      entry.resume();
      throw invalid(
        `entry name "${name}" is not allowed (absolute, "..", a directory or unusual characters)`,
      );
    }
    const reader = this;
    return {
      name,
      size: header.size ?? 0,
      body: {
        async *[Symbol.asyncIterator]() {
          try {
            for await (const chunk of entry) yield chunk as Buffer;
          } catch (error) {
            throw reader.failure ?? translate(error);
          }
        },
      },
    };
  }

  /** Stops reading (after an error): the input is released. */
  abandon(): void {
    if (!this.extract.destroyed) this.extract.destroy();
  }
}

function translate(error: unknown): BackupError {
  if (error instanceof BackupError) return error;
  const err = error as NodeJS.ErrnoException;
  const message = err?.message ?? String(error);
  if (err?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
    return invalid('the archive is truncated: the gzip stream ends before its end marker');
  }
  if (typeof err?.code === 'string' && err.code.startsWith('Z_')) {
    return invalid(`the file is not a valid gzip stream (${message})`);
  }
  return invalid(`the tar archive is corrupt (${message})`);
}
