/**
 * What operator commands (`hisaabo backup run --local`) run inside their own process, on the database
 * itself: the same stored-backup run the server's scheduler uses, so the verify-then-rotate rule is one
 * piece of code.
 */
export { listActiveTenants } from './backup/stored/tenants.ts';
export { runStoredBackup } from './backup/stored/run.ts';
export { makeStoredBackupSettings } from './backup/stored/settings.ts';
export { readSchedule } from './backup/stored/schedule.ts';
export { createLogger } from './logger.ts';
