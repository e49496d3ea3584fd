import type { Database } from '@hisaabo/db';
import type { ServerConfig } from '../config.ts';
import type { SpoolDirectory } from './spool.ts';
import type { ActiveTransfers } from './transfers.ts';

/** What the download and upload routes work with. */
export interface BackupRouteDeps {
  database: Database;
  config: ServerConfig;
  /** Followed so that a stopping server ends them properly. */
  transfers: ActiveTransfers;
  /** Set on the embedded database: transfers wait on disk here instead of holding its connection. */
  spool: SpoolDirectory | undefined;
}
