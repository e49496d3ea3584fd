/**
 * The API's types for its clients (the web app): the tRPC router's shape, with no runtime code, so
 * a client bundles nothing of the server.
 */
export type { AppRouter } from './routers/index.ts';
