import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { type DecryptionKeys, damaged, decryptStream, unlockFileKey } from './crypto/age-stream.ts';
import { sniffFile } from './crypto/detect.ts';
import { type KeyFlags, passphraseForDecryption, readIdentities } from './crypto/keys.ts';
import { badFile, CliError, usageError } from './errors.ts';
import { canPrompt } from './prompt.ts';

/** A backup file on disk that can be read (and decrypted) as many times as a command needs. */
export interface BackupFile {
  path: string;
  /** Bytes on disk. */
  size: number;
  encrypted: boolean;
  /** A fresh plaintext stream from the start of the file; decryption errors surface as CliErrors. */
  open(): Promise<{ stream: Readable; plaintextSize: number }>;
}

/**
 * Checks that `file` exists and is a gzip archive or an age file, and gathers the keys an age file
 * needs. Nothing is sent anywhere before this has passed.
 */
export async function openBackupFile(file: string, flags: KeyFlags): Promise<BackupFile> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw badFile(`${file} is not a regular file`);
    size = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw badFile(code === 'ENOENT' ? `${file} not found` : `cannot read ${file} (${code})`, {
      hint: code === 'ENOENT' ? 'check the path given to -i' : undefined,
    });
  }
  let kind: Awaited<ReturnType<typeof sniffFile>>;
  try {
    kind = await sniffFile(file);
  } catch (error) {
    throw badFile(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  switch (kind.kind) {
    case 'empty':
      throw badFile(`${file} is empty`, { hint: 'the export that made it probably failed; export again' });
    case 'unknown':
      throw badFile(`${file} is not a Hisaabo backup (neither a .tar.gz archive nor an age-encrypted file)`);
    case 'age-armored':
      throw badFile(`${file} is an ASCII-armored age file`, {
        hint: 'convert it first: `age -d … | hisaabo …` is not supported; decrypt with `age -d -o backup.tar.gz`',
      });
    case 'gzip':
      return {
        path: file,
        size,
        encrypted: false,
        open: async () => ({ stream: readFile(file), plaintextSize: size }),
      };
    case 'age': {
      const fileKey = await unlockFileKey(file, await decryptionKeys(file, kind.passphrase, flags));
      return {
        path: file,
        size,
        encrypted: true,
        open: async () => {
          const decrypted = await decryptStream(readFile(file), fileKey, file);
          let plaintextSize: number;
          try {
            plaintextSize = decrypted.plaintextSize(size);
          } catch (error) {
            decrypted.stream.destroy();
            throw damaged(file, error);
          }
          return { stream: withFileErrors(decrypted.stream, file), plaintextSize };
        },
      };
    }
  }
}

function readFile(file: string): Readable {
  return createReadStream(file, { highWaterMark: 256 * 1024 });
}

/**
 * A tampered or truncated ciphertext fails mid-stream with a bare cipher error; the consumer gets one
 * that names the file and carries exit code 4 instead.
 */
function withFileErrors(stream: Readable, file: string): Readable {
  const output = new PassThrough({ highWaterMark: 256 * 1024 });
  stream.on('error', (error) => output.destroy(damaged(file, error)));
  // A consumer that stops early (a failed verify) must not leave the file open.
  output.on('close', () => stream.destroy());
  stream.pipe(output);
  return output;
}

async function decryptionKeys(
  file: string,
  passphraseFile: boolean,
  flags: KeyFlags,
): Promise<DecryptionKeys> {
  const identities = await readIdentities(flags.identity ?? []);
  const passphrases: string[] = [];
  if (
    flags.passphraseFile ||
    flags.passphrase ||
    (passphraseFile && identities.length === 0 && canPrompt())
  ) {
    passphrases.push(await passphraseForDecryption(flags, file));
  }
  if (identities.length === 0 && passphrases.length === 0) {
    throw usageError(
      `${file} is encrypted (age) ${passphraseFile ? 'with a passphrase' : 'to a key'}`,
      passphraseFile
        ? 'pass --passphrase-file <file>, or run it in a terminal to be asked'
        : 'pass --identity <key file> (the private key of a recipient it was encrypted to)',
    );
  }
  return { identities, passphrases };
}
