import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AnyTRPCRouter } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { CURRENT_SCHEMA_VERSION } from '@hisaabo/backup';
import { appliedSchemaVersion, type Database } from '@hisaabo/db';
import { mountSignedLinkRoutes } from './backup/routes.ts';
import { type SpoolDirectory, spoolFor } from './backup/spool.ts';
import { ActiveTransfers } from './backup/transfers.ts';
import { loadConfig, type ServerConfig } from './config.ts';
import { createContext, type AppEnv } from './context.ts';
import { authentication } from './http/authentication.ts';
import { MAX_BATCH_CALLS, trpcBatchLimit } from './http/batch-limit.ts';
import { csrfGuard } from './http/csrf.ts';
import { requestContext } from './http/request-context.ts';
import { securityHeaders } from './http/security-headers.ts';
import { createLogger, type Logger } from './logger.ts';
import { appRouter } from './routers/index.ts';

export interface AppOptions {
  database: Database;
  /** Defaults to the configuration read from the environment. */
  config?: ServerConfig;
  /** Defaults to JSON lines on stdout at `config.LOG_LEVEL`. */
  logger?: Logger;
  /** The tRPC router to serve; the app router unless a test mounts a probe of its own. */
  router?: AnyTRPCRouter;
  /** The exports and restores in progress, which a stopping server ends properly (main.ts). */
  transfers?: ActiveTransfers;
  /** Where the embedded database's transfers wait on disk; by default beside its data (spool.ts). */
  spool?: SpoolDirectory;
}

/** @deprecated use AppOptions */
export type AppContext = AppOptions;

/** The HTTP application: every route the server answers, on Web-standard Request/Response. */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const { database } = options;
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const router = options.router ?? appRouter;
  const app = new Hono<AppEnv>();

  app.use('*', requestContext({ logger, trustProxy: config.TRUST_PROXY }));
  app.use('*', securityHeaders());
  // Before authentication: an oversized batch costs the server nothing, not even a session lookup.
  app.use('/api/trpc/*', trpcBatchLimit());
  app.use('/api/*', authentication(database));
  app.use('/api/*', csrfGuard());

  // Two different numbers: the migrations applied to this database, and the version of the
  // organization tables that archives written here carry. `schemaVersion` is the migration count
  // under its old name, kept for clients that read it.
  app.get('/api/health', async (c) => {
    const migrations = await appliedSchemaVersion(database);
    return c.json({
      ok: true,
      database: database.kind,
      migrations,
      archiveSchemaVersion: CURRENT_SCHEMA_VERSION,
      schemaVersion: migrations,
    });
  });

  // Backup download/upload and CSV download: authenticated by signed links, outside the JSON body limit.
  mountSignedLinkRoutes(app, {
    database,
    config,
    transfers: options.transfers ?? new ActiveTransfers(),
    spool: options.spool ?? spoolFor(database),
  });

  app.use(
    '/api/trpc/*',
    bodyLimit({
      maxSize: config.MAX_JSON_BODY_BYTES,
      onError: (c) =>
        c.json(
          {
            error: {
              message: `Request body larger than ${config.MAX_JSON_BODY_BYTES} bytes`,
              code: -32600,
              data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
            },
          },
          413,
        ),
    }),
  );
  app.all('/api/trpc/*', (c) =>
    fetchRequestHandler({
      endpoint: '/api/trpc',
      req: c.req.raw,
      router,
      // trpcBatchLimit answers first with a clearer message; this is the same bound kept by tRPC itself.
      maxBatchSize: MAX_BATCH_CALLS,
      createContext: ({ resHeaders }) =>
        createContext({
          database,
          config,
          requestId: c.get('requestId'),
          clientIp: c.get('clientIp'),
          logger: c.get('logger'),
          authentication: c.get('authentication'),
          req: c.req.raw,
          resHeaders,
        }),
      onError: ({ error, path, type }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          c.get('logger').error('procedure failed', { path, type, error: error.cause ?? error });
        }
      },
    }),
  );

  serveWebApp(app);
  app.get('/', (c) =>
    c.html('<!doctype html><title>Hisaabo</title><h1>Hisaabo</h1><p>The server is running.</p>'),
  );

  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? c.json({ error: 'Not found' }, 404) : c.text('Not found', 404),
  );
  app.onError((error, c) => {
    c.get('logger')?.error('request failed', { error });
    return c.json({ error: 'Internal server error', requestId: c.get('requestId') }, 500);
  });

  return app;
}

/** The built web app (`npm run build:web`), when there is one. */
const WEB_ROOT = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));

/**
 * Serves the web app's files, and its index.html for every other non-API GET so the app's own paths
 * (/dashboard, /settings/data…) survive a reload. Registered after the API routes; never answers
 * under /api/.
 */
function serveWebApp(app: Hono<AppEnv>): void {
  if (!existsSync(`${WEB_ROOT}/index.html`)) return;
  const files = serveStatic<AppEnv>({
    root: WEB_ROOT,
    onFound: (path, c) => {
      // Built asset names carry a content hash, so they never change.
      if (path.includes('/assets/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.use('*', (c, next) => (c.req.path.startsWith('/api/') ? next() : files(c, next)));
  app.get('*', (c) => {
    const last = c.req.path.split('/').pop() ?? '';
    if (c.req.path.startsWith('/api/') || last.includes('.')) return c.notFound();
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(`${WEB_ROOT}/index.html`, 'utf8'));
  });
}
