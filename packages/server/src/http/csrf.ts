import type { MiddlewareHandler } from 'hono';
import { bearerToken } from '../auth/authenticate.ts';
import { readSessionCookie } from '../auth/cookies.ts';
import type { AppEnv } from '../context.ts';

export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'hisaabo';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser attaches the session cookie to requests other sites trigger, but no other site can set
 * a custom header without a CORS preflight we never grant. So a state-changing request that relies
 * on the cookie must carry `X-Requested-With: hisaabo`; Bearer-authenticated calls carry no ambient
 * credential and are exempt, as are requests with no session cookie at all.
 */
export function csrfGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (bearerToken(c.req.header('authorization')) !== undefined) return next();
    if (readSessionCookie(c.req.header('cookie')) === undefined) return next();
    if (c.req.header(CSRF_HEADER)?.toLowerCase() === CSRF_HEADER_VALUE) return next();
    const message = `Requests authenticated by cookie must send the header "X-Requested-With: ${CSRF_HEADER_VALUE}"`;
    c.get('logger')?.warn('csrf header missing', { path: c.req.path });
    if (c.req.path.startsWith('/api/trpc/')) {
      return c.json({ error: { message, code: -32003, data: { code: 'FORBIDDEN', httpStatus: 403 } } }, 403);
    }
    return c.json({ error: message }, 403);
  };
}
