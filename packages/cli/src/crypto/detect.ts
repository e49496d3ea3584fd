import { open } from 'node:fs/promises';

/** The first line of every binary age file (https://age-encryption.org/v1). */
export const AGE_MAGIC = 'age-encryption.org/v1\n';
const AGE_ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';

export type FileKind =
  | { kind: 'gzip' }
  /** `passphrase`: the file was encrypted with a passphrase (scrypt stanza) rather than to a key. */
  | { kind: 'age'; passphrase: boolean }
  | { kind: 'age-armored' }
  | { kind: 'empty' }
  | { kind: 'unknown' };

/** Tells an archive from an age-encrypted one by its first bytes, without reading the rest. */
export async function sniffFile(file: string): Promise<FileKind> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return sniffBytes(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export function sniffBytes(head: Buffer): FileKind {
  if (head.length === 0) return { kind: 'empty' };
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  const text = head.toString('latin1');
  if (text.startsWith(AGE_MAGIC)) {
    // The header lists one stanza per recipient; a passphrase-encrypted file has exactly one, "scrypt".
    return { kind: 'age', passphrase: text.includes('\n-> scrypt ') };
  }
  if (text.trimStart().startsWith(AGE_ARMOR)) return { kind: 'age-armored' };
  return { kind: 'unknown' };
}
