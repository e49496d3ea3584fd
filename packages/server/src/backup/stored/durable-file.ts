import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface WrittenFile {
  bytes: number;
  /** SHA-256 of the bytes handed to the disk, to compare with what reading them back gives. */
  sha256: string;
}

/**
 * Writes a stream to `finalPath` so that the name only ever shows a complete file: the bytes go to
 * `partialPath`, are fsynced, the file is renamed, and the folder is fsynced so the rename survives
 * a power cut. On any failure (a full disk, the source breaking) the partial file is removed.
 */
export async function writeDurably(
  source: Readable,
  partialPath: string,
  finalPath: string,
): Promise<WrittenFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await open(partialPath, 'wx', 0o600);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
      await handle.write(chunk);
    }
    await handle.sync();
  } catch (error) {
    source.destroy();
    await handle.close().catch(() => {});
    await rm(partialPath, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partialPath, finalPath);
  await syncFolder(path.dirname(finalPath));
  return { bytes, sha256: hash.digest('hex') };
}

/** Makes a rename or an unlink in the folder durable. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a directory; the file itself is already on disk.
    if (
      (error as NodeJS.ErrnoException).code !== 'EINVAL' &&
      (error as NodeJS.ErrnoException).code !== 'EISDIR'
    )
      throw error;
  } finally {
    await handle.close();
  }
}

/** SHA-256 of a file on disk, read back. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
