export type FileKind = 'gzip' | 'age' | 'unknown' | 'empty';

const AGE_BINARY = 'age-encryption.org/v1';
const AGE_ARMORED = '-----BEGIN AGE ENCRYPTED FILE-----';

/**
 * What the chosen file is, from its first bytes: a gzip archive (what an export produces), a file
 * encrypted with age (someone encrypted the backup at rest, as the product page suggests), or
 * something else. Only 64 bytes are read, whatever the file's size.
 */
export async function inspectFile(file: Blob): Promise<FileKind> {
  if (file.size === 0) return 'empty';
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  const text = new TextDecoder('latin1').decode(head);
  if (text.startsWith(AGE_BINARY) || text.startsWith(AGE_ARMORED)) return 'age';
  return 'unknown';
}
