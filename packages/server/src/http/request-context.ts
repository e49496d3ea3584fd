import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from '../context.ts';
import type { Logger } from '../logger.ts';

const SAFE_REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is a plain token, else a new one),
 * a client address, and a logger that stamps both on every line; logs one line per request with its
 * path but never its query string, which can carry a signed token.
 */
export function requestContext(options: { logger: Logger; trustProxy: boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const clientIp = clientAddress(c, options.trustProxy);
    const logger = options.logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('clientIp', clientIp);
    c.set('logger', logger);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const auth = c.get('authentication');
    logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
      ip: clientIp,
      userId: auth?.status === 'authenticated' ? auth.user.id : undefined,
    });
  };
}

type HonoContext = Parameters<MiddlewareHandler<AppEnv>>[0];

function clientAddress(c: HonoContext, trustProxy: boolean): string {
  if (trustProxy) {
    // The last entry is the one our own proxy appended; earlier ones are whatever the client claimed.
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not running under @hono/node-server (e.g. app.request() in a unit test).
    return 'unknown';
  }
}
