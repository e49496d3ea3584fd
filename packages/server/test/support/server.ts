import type { ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { AnyTRPCRouter } from '@trpc/server';
import type { TestBackend, TestDatabase } from '@hisaabo/db/testing';
import { createApp } from '../../src/app.ts';
import type { SpoolDirectory } from '../../src/backup/spool.ts';
import type { ActiveTransfers } from '../../src/backup/transfers.ts';
import { loadConfig, type ServerConfig } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  database: TestDatabase;
  config: ServerConfig;
  /** The app itself, to drive a response without a socket's buffers in between. */
  app: ReturnType<typeof createApp>;
  /** Stops the server and drops the database. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Environment-style overrides, e.g. `{ LOG_LEVEL: 'debug' }`. */
  env?: Record<string, string>;
  logger?: Logger;
  /** Serve this tRPC router instead of the app router (to probe procedure kinds directly). */
  router?: AnyTRPCRouter;
  /** Serve this existing database instead of a fresh one (it is then left open on close). */
  database?: TestDatabase;
  /** Options of the Node HTTP server, e.g. a short `requestTimeout`. */
  serverOptions?: ServerOptions;
  /** Follow the server's exports and restores (to stop them as a stopping server does). */
  transfers?: ActiveTransfers;
  /** Spool the embedded database's transfers here (to look for leftovers). */
  spool?: SpoolDirectory;
}

/** A fresh database from `backend` behind the real app, listening on an ephemeral port over real HTTP. */
export async function startTestServer(
  backend: TestBackend,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const database = options.database ?? (await backend.create());
  const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...options.env });
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const app = createApp({
    database,
    config,
    logger,
    router: options.router,
    transfers: options.transfers,
    spool: options.spool,
  });
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const server = serve(
        { fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: options.serverOptions },
        (info: AddressInfo) => resolve({ server, port: info.port }),
      );
    },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    config,
    app,
    async close() {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      if (!options.database) await database.close();
    },
  };
}
