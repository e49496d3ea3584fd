import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackupFile } from '../src/archive-input.ts';
import { decryptStream, unlockFileKey } from '../src/crypto/age-stream.ts';
import { CliError } from '../src/errors.ts';
import { ExitCode } from '../src/exit-codes.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'age-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLAINTEXT = 'every invoice, every line\n'.repeat(5000);

async function encryptedFile(name: string, setUp: (encrypter: Encrypter) => Promise<void>): Promise<string> {
  const encrypter = new Encrypter();
  await setUp(encrypter);
  const file = path.join(dir, name);
  writeFileSync(file, await encrypter.encrypt(PLAINTEXT));
  return file;
}

async function refusal(work: Promise<unknown>): Promise<CliError> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe('age files', () => {
  it('give their file key once, and that key alone decrypts them as often as needed', async () => {
    const file = await encryptedFile('pass.age', async (encrypter) => {
      encrypter.setPassphrase('correct horse');
      // The lowest work factor keeps the test fast; the format is the same at age's default of 18.
      encrypter.setScryptWorkFactor(10);
    });
    const fileKey = await unlockFileKey(file, { identities: [], passphrases: ['correct horse'] });
    for (let read = 0; read < 2; read += 1) {
      const { stream, plaintextSize } = await decryptStream(Readable.from(readBytes(file)), fileKey, file);
      expect(await text(stream)).toBe(PLAINTEXT);
      expect(plaintextSize(readBytes(file).length)).toBe(PLAINTEXT.length);
    }
  });

  it('tell a wrong passphrase or identity from a damaged file', async () => {
    const identity = await generateIdentity();
    const byKey = await encryptedFile('key.age', async (encrypter) =>
      encrypter.addRecipient(await identityToRecipient(identity)),
    );
    const wrongIdentity = await refusal(
      unlockFileKey(byKey, { identities: [await generateIdentity()], passphrases: ['not it'] }),
    );
    expect(wrongIdentity.message).toBe(
      `cannot decrypt ${byKey}: the identity or passphrase does not match it`,
    );
    expect(wrongIdentity.exitCode).toBe(ExitCode.badFile);

    const byPassphrase = await encryptedFile('pass-wrong.age', async (encrypter) => {
      encrypter.setPassphrase('correct horse');
      encrypter.setScryptWorkFactor(10);
    });
    const wrongPassphrase = await refusal(
      unlockFileKey(byPassphrase, { identities: [], passphrases: ['incorrect horse'] }),
    );
    expect(wrongPassphrase.message).toContain('does not match');

    // A header altered after it was written: the right key opens the stanza, the MAC refuses it.
    const bytes = readBytes(byKey);
    const tampered = path.join(dir, 'tampered-header.age');
    const macAt = bytes.indexOf('\n--- ') + 6;
    bytes[macAt] = bytes[macAt] === 0x41 ? 0x42 : 0x41;
    writeFileSync(tampered, bytes);
    const damagedHeader = await refusal(unlockFileKey(tampered, { identities: [identity], passphrases: [] }));
    expect(damagedHeader.message).not.toContain('does not match');
    expect(damagedHeader.hint).toBe('the file may be damaged or truncated');

    const cut = path.join(dir, 'cut-header.age');
    writeFileSync(cut, readBytes(byKey).subarray(0, 40));
    const truncated = await refusal(unlockFileKey(cut, { identities: [identity], passphrases: [] }));
    expect(truncated.message).toBe(`cannot decrypt ${cut}: its age header has no end`);
  });

  it('report a body altered after the key opened it as damage, not as a wrong key', async () => {
    const identity = await generateIdentity();
    const file = await encryptedFile('body.age', async (encrypter) =>
      encrypter.addRecipient(await identityToRecipient(identity)),
    );
    const keyFile = path.join(dir, 'key.txt');
    writeFileSync(keyFile, `${identity}\n`);
    const bytes = readBytes(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    const backup = await openBackupFile(file, { identity: [keyFile] });
    const { stream } = await backup.open();
    const failure = await refusal(text(stream));
    expect(failure.message).toMatch(new RegExp(`^cannot decrypt ${file}: `));
    expect(failure.message).not.toContain('does not match');
    expect(failure.hint).toBe('the file may be damaged or truncated');
    expect(failure.exitCode).toBe(ExitCode.badFile);
  });
});

function readBytes(file: string): Buffer {
  return readFileSync(file);
}
