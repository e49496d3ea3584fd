import { connect, type Database, optionsFromEnv } from './connect.ts';
import { DataDirectoryBusyError } from './data-dir-lock.ts';

/** The exit status of every command refused because another process holds the embedded database. */
export const EXIT_DATABASE_BUSY = 5;

/**
 * Opens the database a command-line script works on (DATABASE_URL, or the embedded one). When a
 * running server holds the embedded directory the script stops at once with the holder named:
 * working beside it would corrupt the directory or go unseen by the server.
 */
export async function connectForCommand(): Promise<Database> {
  try {
    return await connect(optionsFromEnv());
  } catch (error) {
    if (!(error instanceof DataDirectoryBusyError)) throw error;
    console.error(error.message);
    process.exit(EXIT_DATABASE_BUSY);
  }
}
