import type { Db } from '@hisaabo/db';
import { findApiKey } from './api-keys.ts';
import { readSessionCookie } from './cookies.ts';
import { findSession } from './sessions.ts';
import { isApiKey } from './tokens.ts';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
}

/** How the caller proved who they are. */
export type Credential =
  | { kind: 'session'; via: 'cookie' | 'bearer'; sessionId: string; selectedTenantId: string | null }
  | { kind: 'apiKey'; apiKeyId: string; tenantId: string };

export type Authentication =
  | { status: 'anonymous' }
  /** A credential was presented but is unknown, expired or revoked. */
  | { status: 'invalid'; via: 'cookie' | 'bearer' }
  | { status: 'authenticated'; user: AuthUser; credential: Credential };

/** Reads `Authorization: Bearer` (session token or API key) or else the session cookie. */
export async function authenticate(db: Db, headers: Headers): Promise<Authentication> {
  const bearer = bearerToken(headers.get('authorization'));
  if (bearer !== undefined) {
    if (isApiKey(bearer)) {
      const key = await findApiKey(db, bearer);
      if (!key) return { status: 'invalid', via: 'bearer' };
      return {
        status: 'authenticated',
        user: key.user,
        credential: { kind: 'apiKey', apiKeyId: key.apiKeyId, tenantId: key.tenantId },
      };
    }
    const session = await findSession(db, bearer);
    if (!session) return { status: 'invalid', via: 'bearer' };
    return {
      status: 'authenticated',
      user: session.user,
      credential: {
        kind: 'session',
        via: 'bearer',
        sessionId: session.sessionId,
        selectedTenantId: session.selectedTenantId,
      },
    };
  }
  const cookie = readSessionCookie(headers.get('cookie'));
  if (cookie === undefined) return { status: 'anonymous' };
  const session = await findSession(db, cookie);
  if (!session) return { status: 'invalid', via: 'cookie' };
  return {
    status: 'authenticated',
    user: session.user,
    credential: {
      kind: 'session',
      via: 'cookie',
      sessionId: session.sessionId,
      selectedTenantId: session.selectedTenantId,
    },
  };
}

export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}
