import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { verifyArchive, type VerifyReport } from '@hisaabo/backup';

export function verifyFile(path: string): Promise<VerifyReport> {
  return verifyArchive(createReadStream(path));
}

/**
 * Writes a copy of the archive with one character of a row changed inside a table file (the tar and
 * gzip framing stay valid), the kind of damage only the archive's own checksums catch.
 */
export function writeCorruptCopy(source: string, target: string): void {
  const tar = gunzipSync(readFileSync(source));
  const marker = Buffer.from('"name":"');
  // Skip the manifest at the start; damage the first row of a later table file.
  const at = tar.indexOf(marker, 4096);
  if (at < 0) throw new Error('No row with a name found to damage');
  const offset = at + marker.length;
  tar[offset] = tar[offset] === 0x58 ? 0x59 : 0x58;
  writeFileSync(target, gzipSync(tar));
}
