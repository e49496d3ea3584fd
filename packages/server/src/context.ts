import type { Database, Db } from '@hisaabo/db';
import type { AuthUser, Authentication, Credential } from './auth/authenticate.ts';
import type { ServerConfig } from './config.ts';
import type { Logger } from './logger.ts';

/** What every HTTP request carries through the Hono app (set by the middlewares in `app.ts`). */
export interface AppEnv {
  Variables: {
    requestId: string;
    clientIp: string;
    /** A logger whose every line carries the request id. */
    logger: Logger;
    /** Who is calling, resolved once per request from the Bearer token or the session cookie. */
    authentication: Authentication;
  };
}

/** The context of every tRPC procedure. */
export interface Context {
  database: Database;
  /** Shorthand for `database.db`. */
  db: Db;
  config: ServerConfig;
  requestId: string;
  clientIp: string;
  logger: Logger;
  authentication: Authentication;
  /** The caller, or null when anonymous (or when the presented credential was invalid). */
  user: AuthUser | null;
  credential: Credential | null;
  req: Request;
  /** Headers added to the response (e.g. Set-Cookie). */
  resHeaders: Headers;
}

export interface CreateContextOptions {
  database: Database;
  config: ServerConfig;
  requestId: string;
  clientIp: string;
  logger: Logger;
  authentication: Authentication;
  req: Request;
  resHeaders: Headers;
}

export function createContext(options: CreateContextOptions): Context {
  const { authentication } = options;
  const authenticated = authentication.status === 'authenticated' ? authentication : undefined;
  return {
    ...options,
    db: options.database.db,
    user: authenticated?.user ?? null,
    credential: authenticated?.credential ?? null,
  };
}

export type { AuthUser, Authentication, Credential };
