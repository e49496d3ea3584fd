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

/**
 * Opens an age stream. The header is checked before this resolves, so a wrong identity or passphrase
 * fails here, before a single byte goes anywhere. A tampered or truncated body fails while reading.
 */
export async function decryptStream(
  ciphertext: Readable,
  keys: DecryptionKeys,
  file: string,
): Promise<DecryptedStream> {
  const decrypter = new Decrypter();
  for (const identity of keys.identities) {
    try {
      decrypter.addIdentity(identity);
    } catch (error) {
      throw new CliError('decryption_failed', `invalid age identity: ${(error as Error).message}`);
    }
  }
  for (const passphrase of keys.passphrases) decrypter.addPassphrase(passphrase);
  try {
    const stream = await decrypter.decrypt(toWeb(ciphertext));
    return { stream: fromWeb(stream), plaintextSize: (size) => stream.size(size) };
  } catch (error) {
    ciphertext.destroy();
    throw decryptionFailure(error, file);
  }
}

export function decryptionFailure(error: unknown, file: string): CliError {
  const reason = (error as Error).message ?? String(error);
  const wrongKey = /no identity matched|incorrect passphrase|failed to decrypt|invalid tag/i.test(reason);
  return new CliError(
    'decryption_failed',
    wrongKey
      ? `cannot decrypt ${file}: the identity or passphrase does not match it`
      : `cannot decrypt ${file}: ${reason}`,
    {
      hint: wrongKey
        ? 'pass the identity file (--identity) or passphrase (--passphrase / --passphrase-file) it was encrypted with'
        : 'the file may be damaged or truncated',
    },
  );
}
