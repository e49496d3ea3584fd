import { createHash, randomBytes } from 'node:crypto';

/** API keys carry a recognizable prefix so they can be told apart from session tokens (and found by secret scanners). */
export const API_KEY_PREFIX = 'hsk_';

/** 32 random bytes, base64url: unguessable, and only its SHA-256 is ever stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

// A plain SHA-256 suffices (no salt, no slow hash): the tokens are high-entropy random values,
// and a fast hash lets the database index the lookup.
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
