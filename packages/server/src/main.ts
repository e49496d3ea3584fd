import { serve } from '@hono/node-server';
import { connect, type Database, DataDirectoryBusyError, migrate } from '@hisaabo/db';
import { createApp } from './app.ts';
import { serverSecret } from './backup/settings.ts';
import { startBackupScheduler } from './backup/stored/scheduler.ts';
import { storedBackupSettings } from './backup/stored/settings.ts';
import { ActiveTransfers } from './backup/transfers.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startRecurringScheduler } from './scheduler.ts';

// `npm start`: migrate the database, then serve the app.
const config = loadConfig();
/** Exit status when the embedded data directory is held by another process (as the CLI's exit 5). */
const EXIT_DATA_DIR_BUSY = 5;
/** A stop waits this long for exports and restores to wind down, well inside a 10 s grace period. */
const STOP_GRACE_MS = 7_000;

function logError(msg: string, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level: 'error', msg, ...fields }));
}

// Production without HISAABO_SECRET stops here; the embedded default creates its secret file now.
try {
  serverSecret(config);
} catch (error) {
  logError((error as Error).message);
  process.exit(1);
}
let database: Database;
try {
  database = await connect(
    config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.pgliteDir },
  );
} catch (error) {
  if (!(error instanceof DataDirectoryBusyError)) throw error;
  logError(error.message, { code: error.code, directory: error.directory, holder: error.holder });
  process.exit(EXIT_DATA_DIR_BUSY);
}
await migrate(database);
const transfers = new ActiveTransfers();
const app = createApp({ database, config, transfers });
const schedulersOn = config.HISAABO_SCHEDULER === 'on';
const scheduler = startRecurringScheduler(database, { enabled: schedulersOn });
const backups = !schedulersOn
  ? undefined
  : startBackupScheduler(database, storedBackupSettings(config), {
      logger: createLogger({ level: config.LOG_LEVEL }, { component: 'backups' }),
    });
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  console.log(
    JSON.stringify({ msg: 'listening', url: `http://localhost:${info.port}`, database: database.kind }),
  );
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second signal while stopping: stop now (PGlite may then need recovery at the next start).
    if (stopping) process.exit(1);
    stopping = true;
    void stop(signal);
  });
}

/**
 * Stops taking requests, ends running exports and restores (a restore rolls back and the history
 * says the server stopped), then closes the database cleanly, so the next start needs no recovery.
 */
async function stop(signal: string): Promise<void> {
  const running = transfers.size;
  console.log(JSON.stringify({ msg: 'stopping', signal, transfers: running }));
  server.close();
  const graceOver = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
  // A stored backup being written is not waited for: its partial file never counts and is swept later.
  void backups?.stop();
  await Promise.all([transfers.stop(signal, STOP_GRACE_MS), Promise.race([scheduler.stop(), graceOver])]);
  // Idle keep-alive connections would otherwise hold server.close() open.
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  try {
    await database.close();
  } catch (error) {
    logError('could not close the database cleanly', { error: (error as Error).message });
    process.exit(1);
  }
  console.log(JSON.stringify({ msg: 'stopped', signal }));
  process.exit(0);
}
