import type { MiddlewareHandler } from 'hono';
import type { Database } from '@hisaabo/db';
import { authenticate } from '../auth/authenticate.ts';
import type { AppEnv } from '../context.ts';

/** Resolves the caller once per request; routes read `c.get('authentication')`. */
export function authentication(database: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('authentication', await authenticate(database.db, c.req.raw.headers));
    await next();
  };
}
