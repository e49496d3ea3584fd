import { readFile } from 'node:fs/promises';
import { badFile, usageError } from '../errors.ts';
import { askSecret, canPrompt } from '../prompt.ts';

/** How the user asked for encryption or offered decryption keys on the command line. */
export interface KeyFlags {
  encryptTo?: string[];
  passphrase?: boolean;
  passphraseFile?: string;
  identity?: string[];
}

/**
 * Reads age identities from files in the format `age-keygen` writes: one `AGE-SECRET-KEY-…` per line,
 * `#` comments and blank lines ignored.
 */
export async function readIdentities(files: readonly string[]): Promise<string[]> {
  const identities: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw badFile(`cannot read identity file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    const keys = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const invalid = keys.find((key) => !key.startsWith('AGE-SECRET-KEY-'));
    if (invalid !== undefined || keys.length === 0) {
      throw badFile(`${file} is not an age identity file`, {
        hint: 'pass the file `age-keygen -o key.txt` wrote (lines starting with AGE-SECRET-KEY-)',
      });
    }
    identities.push(...keys);
  }
  return identities;
}

/** The first line of a passphrase file; an empty one is refused rather than silently used. */
export async function readPassphraseFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw badFile(`cannot read passphrase file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const passphrase = text.split(/\r?\n/)[0] ?? '';
  if (passphrase === '') throw usageError(`passphrase file ${file} is empty`);
  return passphrase;
}

/** For encryption: asks twice on a terminal, so a typo cannot lock the backup away forever. */
export async function passphraseForEncryption(flags: KeyFlags): Promise<string> {
  if (flags.passphraseFile) return readPassphraseFile(flags.passphraseFile);
  if (!canPrompt()) {
    throw usageError(
      '--passphrase needs a terminal to ask for it',
      'use --passphrase-file <file> in scripts',
    );
  }
  const first = await askSecret('Passphrase for the backup: ', '--passphrase-file <file>');
  if (first.length === 0)
    throw usageError('empty passphrase', 'type a passphrase, or use --encrypt-to <recipient>');
  const second = await askSecret('Repeat the passphrase: ', '--passphrase-file <file>');
  if (first !== second) throw usageError('the passphrases do not match');
  return first;
}

export async function passphraseForDecryption(flags: KeyFlags, file: string): Promise<string> {
  if (flags.passphraseFile) return readPassphraseFile(flags.passphraseFile);
  return askSecret(`Passphrase for ${file}: `, '--passphrase-file <file>');
}
