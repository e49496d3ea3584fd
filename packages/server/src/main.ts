import { serve } from '@hono/node-server';
import { connect, migrate } from '@hisaabo/db';
import { createApp } from './app.ts';
import { serverSecret } from './backup/settings.ts';
import { startBackupScheduler } from './backup/stored/scheduler.ts';
import { storedBackupSettings } from './backup/stored/settings.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startRecurringScheduler } from './scheduler.ts';

// `npm start`: migrate the database, then serve the app.
process.env.HISAABO_DATA_DIR ??= 'data';
const config = loadConfig();
// Production without HISAABO_SECRET stops here; the embedded default creates its secret file now.
try {
  serverSecret(config);
} catch (error) {
  console.error(JSON.stringify({ level: 'error', msg: (error as Error).message }));
  process.exit(1);
}
const database = await connect(
  config.DATABASE_URL
    ? { databaseUrl: config.DATABASE_URL }
    : { dataDir: `${config.HISAABO_DATA_DIR}/pglite` },
);
await migrate(database);
const app = createApp({ database, config });
startRecurringScheduler(database);
const backups =
  process.env.HISAABO_SCHEDULER === 'off'
    ? undefined
    : startBackupScheduler(database, storedBackupSettings(config), {
        logger: createLogger({ level: config.LOG_LEVEL }, { component: 'backups' }),
      });
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  console.log(
    JSON.stringify({ msg: 'listening', url: `http://localhost:${info.port}`, database: database.kind }),
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    // A backup being written is not waited for: its partial file never counts and is swept later.
    void backups?.stop();
    void database.close().then(() => process.exit(0));
  });
}
