import { serialize } from 'hono/utils/cookie';

export const SESSION_COOKIE = 'hisaabo_session';
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export function sessionCookie(token: string, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure,
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'Lax', path: '/', secure, maxAge: 0 });
}

/** The session cookie's value from a Cookie header, if present. */
export function readSessionCookie(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      if (value === '') return undefined;
      try {
        return decodeURIComponent(value);
      } catch {
        // A malformed escape (%E0%A4%A) cannot be a token we issued: no session, not a server error.
        return undefined;
      }
    }
  }
  return undefined;
}
