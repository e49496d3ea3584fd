import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Fewer bytes than this would make the derived signing keys guessable. */
const MIN_SECRET_LENGTH = 32;
export const SECRET_FILE_NAME = 'secret';

export interface SecretSource {
  /** `HISAABO_SECRET`, when the operator set one. */
  configured?: string;
  /** Production refuses to invent a secret: every process behind a load balancer must share one. */
  production: boolean;
  /** Where the embedded default keeps the secret it generates. */
  dataDir: string;
}

export class SecretError extends Error {
  override name = 'SecretError';
}

/**
 * The server secret that every signed URL is derived from. An operator's `HISAABO_SECRET` wins; the
 * embedded default generates one on first start and keeps it (mode 0600) in the data directory, so
 * links stay valid across restarts and nobody has to configure anything to try the server.
 */
export function resolveServerSecret(source: SecretSource): string {
  if (source.configured !== undefined && source.configured !== '') {
    if (source.configured.length < MIN_SECRET_LENGTH) {
      throw new SecretError(`HISAABO_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
    }
    return source.configured;
  }
  if (source.production) {
    throw new SecretError(
      'HISAABO_SECRET is required when NODE_ENV=production (e.g. the output of `openssl rand -base64 48`)',
    );
  }
  return readOrCreateSecretFile(path.join(source.dataDir, SECRET_FILE_NAME));
}

function readOrCreateSecretFile(file: string): string {
  const existing = readSecretFile(file);
  if (existing !== undefined) return existing;
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // `wx`: when two processes start at once, exactly one writes and the other reads its secret.
    writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = readSecretFile(file);
  if (created === undefined) throw new SecretError(`the server secret file ${file} is empty or too short`);
  return created;
}

function readSecretFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A secret readable by other users of the machine is repaired rather than trusted as is.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = text.trim();
  return secret.length >= MIN_SECRET_LENGTH ? secret : undefined;
}
