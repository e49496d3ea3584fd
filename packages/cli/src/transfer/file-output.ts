import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, constants, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { badFile, usageError } from '../errors.ts';

export interface WrittenFile {
  /** Absolute path, or '-' for stdout. */
  path: string;
  bytes: number;
  sha256: string;
}

/** Fails before any download when the target cannot be written, so nothing is fetched for nothing. */
export async function checkWritableTarget(target: string): Promise<void> {
  if (target === '-') {
    if (process.stdout.isTTY) {
      throw usageError(
        'refusing to write a binary archive to the terminal',
        'redirect stdout (`-o - > file`) or pass -o <file>',
      );
    }
    return;
  }
  const directory = path.dirname(path.resolve(target));
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) throw new Error('not a directory');
    await access(directory, constants.W_OK);
  } catch {
    throw badFile(`cannot write ${target}: ${directory} is not a writable directory`, {
      hint: 'create the directory or choose another -o path',
    });
  }
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw badFile(`cannot write ${target}: it is a directory`);
}

/** Counts and hashes what passes, so the summary reports the SHA-256 of exactly the bytes written. */
class Digest extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null, data?: Buffer) => void,
  ) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/**
 * Streams into a temporary file beside the target and renames it into place only when everything
 * succeeded, so `-o backup.tar.gz` is either a complete archive or untouched (an older backup of the
 * same name survives a failed export). Any failure removes the temporary file.
 */
export async function writeStreamAtomically(
  target: string,
  stages: (Readable | Transform)[],
  /** Runs after the last byte is on disk and before the rename; throwing cancels the rename. */
  beforeCommit: () => Promise<void> = async () => {},
): Promise<WrittenFile> {
  const digest = new Digest();
  if (target === '-') {
    await pipeline([...stages, digest, process.stdout as Writable]);
    await beforeCommit();
    return { path: '-', bytes: digest.bytes, sha256: digest.hash.digest('hex') };
  }
  const absolute = path.resolve(target);
  const temporary = path.join(
    path.dirname(absolute),
    `.${path.basename(absolute)}.${randomBytes(4).toString('hex')}.part`,
  );
  try {
    await pipeline([...stages, digest, createWriteStream(temporary, { mode: 0o600 })]);
    await beforeCommit();
    await rename(temporary, absolute);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { path: absolute, bytes: digest.bytes, sha256: digest.hash.digest('hex') };
}
