export { createApp, type AppContext } from './app.ts';
export { loadConfig, type ServerConfig } from './config.ts';
