import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import { CliError, usageError } from '../errors.ts';

/** Who can open an encrypted export: age recipients (public keys) or one passphrase. */
export type EncryptionTarget = { recipients: string[] } | { passphrase: string };

/** What may open an encrypted file: identities (private keys) and/or passphrases. */
export interface DecryptionKeys {
  identities: string[];
  passphrases: string[];
}

// Node's and the DOM's ReadableStream types describe the same object; age speaks the DOM one.
function toWeb(stream: Readable): ReadableStream<Uint8Array> {
  return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
}

function fromWeb(stream: ReadableStream<Uint8Array>): Readable {
  return Readable.fromWeb(stream as unknown as NodeWebReadableStream<Uint8Array>);
}

/** Checks recipients up front, so a typo is a usage error before anything is downloaded. */
export function encrypterFor(target: EncryptionTarget): Encrypter {
  const encrypter = new Encrypter();
  if ('passphrase' in target) {
    encrypter.setPassphrase(target.passphrase);
    return encrypter;
  }
  for (const recipient of target.recipients) {
    try {
      encrypter.addRecipient(recipient.trim());
    } catch (error) {
      throw usageError(
        `invalid age recipient "${recipient}": ${(error as Error).message}`,
        'pass a public key such as age1… (from `age-keygen -y key.txt`)',
      );
    }
  }
  return encrypter;
}

/** Encrypts a stream in the standard age format, 64 KiB at a time: never the whole archive in memory. */
export async function encryptStream(plaintext: Readable, encrypter: Encrypter): Promise<Readable> {
  return fromWeb(await encrypter.encrypt(toWeb(plaintext)));
}

export interface DecryptedStream {
  stream: Readable;
  /** Plaintext size for a ciphertext of `size` bytes: lets the upload show a percentage. */
  plaintextSize(size: number): number;
}

/** The largest age header read: a few hundred bytes per recipient, so this allows thousands. */
const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * Finds the file key with the identities or passphrase given, from the header alone. It is done once
 * per command: a passphrase costs scrypt at age's work factor (a second or more) each time it is
 * tried, and a restore reads the file twice (verify, then restore). A wrong identity or passphrase
 * fails here, before a single byte goes anywhere.
 */
export async function unlockFileKey(file: string, keys: DecryptionKeys): Promise<Uint8Array> {
  const decrypter = new Decrypter();
  for (const identity of keys.identities) {
    try {
      decrypter.addIdentity(identity);
    } catch (error) {
      throw new CliError('decryption_failed', `invalid age identity: ${(error as Error).message}`);
    }
  }
  for (const passphrase of keys.passphrases) decrypter.addPassphrase(passphrase);
  // age tries the identities in order and stops at the first that opens the file: one added last
  // is asked only when none of the given ones matched, which tells a wrong key from a damaged file
  // without reading the library's message.
  let noneMatched = false;
  decrypter.addIdentity({
    unwrapFileKey: () => {
      noneMatched = true;
      return null;
    },
  });
  const header = await readHeader(file);
  try {
    return await decrypter.decryptHeader(header);
  } catch (error) {
    throw noneMatched ? wrongKey(file) : damaged(file, error);
  }
}

/** The header: every line up to and including the one that starts with "--- " (its MAC). */
async function readHeader(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const read = buffer.subarray(0, bytesRead);
    const macLine = read.indexOf('\n--- ');
    const end = macLine < 0 ? -1 : read.indexOf('\n', macLine + 1);
    if (end < 0) throw damaged(file, new Error('its age header has no end'));
    return read.subarray(0, end + 1);
  } finally {
    await handle.close();
  }
}

/**
 * Decrypts an age stream with a file key `unlockFileKey` found. The header's MAC is still checked
 * against it; a tampered or truncated body fails while reading.
 */
export async function decryptStream(
  ciphertext: Readable,
  fileKey: Uint8Array,
  file: string,
): Promise<DecryptedStream> {
  const decrypter = new Decrypter();
  decrypter.addIdentity({ unwrapFileKey: () => fileKey });
  try {
    const stream = await decrypter.decrypt(toWeb(ciphertext));
    return { stream: fromWeb(stream), plaintextSize: (size) => stream.size(size) };
  } catch (error) {
    ciphertext.destroy();
    throw damaged(file, error);
  }
}

/** A file whose key is known to be right that still fails to decrypt: it is damaged. */
export function damaged(file: string, cause: unknown): CliError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CliError('decryption_failed', `cannot decrypt ${file}: ${reason}`, {
    hint: 'the file may be damaged or truncated',
  });
}

/** No identity or passphrase given opens the file. */
function wrongKey(file: string): CliError {
  return new CliError(
    'decryption_failed',
    `cannot decrypt ${file}: the identity or passphrase does not match it`,
    {
      hint: 'pass the identity file (--identity) or passphrase (--passphrase / --passphrase-file) it was encrypted with',
    },
  );
}
