export { createApp, type AppContext, type AppOptions } from './app.ts';
export { loadConfig, type ServerConfig } from './config.ts';
export type { AppEnv, Context } from './context.ts';
export { createLogger, type Logger } from './logger.ts';
export { appRouter, type AppRouter } from './routers/index.ts';
export { ActiveTransfers, ServerStoppingError } from './backup/transfers.ts';
export { SpoolDirectory } from './backup/spool.ts';
