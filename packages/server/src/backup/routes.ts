import type { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { csvHandler } from '../csv/route.ts';
import { exportHandler } from './export-route.ts';
import { importHandler } from './import-route.ts';
import { storedDownloadHandler } from './stored/download-route.ts';
import type { BackupRouteDeps } from './route-deps.ts';

/**
 * The signed-link routes: the backup flow's download and upload, and the CSV download. They authenticate by the link's token alone; the
 * upload route has no body-size middleware of its own because it streams and counts bytes itself.
 */
export function mountSignedLinkRoutes(app: Hono<AppEnv>, deps: BackupRouteDeps): void {
  const { database, config } = deps;
  app.get('/api/export/:tenantId', exportHandler(deps));
  app.post('/api/selfImport/:tenantId', importHandler(deps));
  app.get('/api/csv/:businessId', csvHandler(database, config));
  app.get('/api/stored-backups/:tenantId/:backupId', storedDownloadHandler(database, config));
}
