import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * One process per embedded data directory. PGlite is a whole PostgreSQL instance inside the process
 * that opens it: two processes on one directory each believe they own the files, and corrupt them or
 * miss each other's rows. So every opener first takes an exclusive lock, held until it closes.
 *
 * The lock is a listening local socket named after the directory's real path:
 * - Linux: an abstract unix socket (`\0hisaabo-pglite-<sha256>`); Windows: a named pipe. Binding
 *   is atomic (of two processes starting at once exactly one binds) and the kernel frees the name
 *   when the process dies, even by SIGKILL or a power cut: no stale lock, no file to clean up.
 * - Elsewhere (macOS, BSD): a socket file in the temporary directory. A file left by a dead holder
 *   answers nothing and is replaced at the next start.
 * Nothing is refreshed on a timer, so a long query that blocks the holder's event loop can never
 * make its lock look stale. The holder answers a connecting process with its pid and command.
 */

/** Who holds a data directory, as the holder reports it. */
export interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

/** Thrown when another process holds the data directory; nothing was opened. */
export class DataDirectoryBusyError extends Error {
  override name = 'DataDirectoryBusyError';
  readonly code = 'DATA_DIR_BUSY';
  constructor(
    readonly directory: string,
    /** Undefined when the holder did not answer in time (busy in a long query). */
    readonly holder: LockHolder | undefined,
  ) {
    super(
      `The embedded database in ${directory} is in use by ${describeHolder(holder)}. ` +
        'Only one process may open it at a time. Stop that process first, or go through the running ' +
        "server's API instead (for example `hisaabo export` without --local).",
    );
  }
}

function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another process (busy: it did not say which)';
  return `another process (pid ${holder.pid}: ${holder.command}, since ${holder.since})`;
}

export interface DataDirectoryLock {
  readonly directory: string;
  /** Frees the directory for the next process. Idempotent. */
  release(): Promise<void>;
}

/** How long a refused opener waits for the holder to say who it is. */
const HOLDER_ANSWER_MS = 1500;

/**
 * Takes the exclusive lock on `directory` (created if missing), or throws DataDirectoryBusyError at
 * once when another process holds it.
 */
export async function lockDataDirectory(directory: string): Promise<DataDirectoryLock> {
  mkdirSync(directory, { recursive: true });
  const real = realpathSync(directory);
  const address = lockAddress(real);
  const me: LockHolder = {
    pid: process.pid,
    command: process.argv.join(' ').slice(0, 300),
    since: new Date().toISOString(),
  };
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.end(`${JSON.stringify(me)}\n`);
  });
  server.on('error', () => {});
  // A socket file left by a process that died answers nothing: it is replaced, once.
  for (let attempt = 0; ; attempt++) {
    try {
      await listen(server, address);
      return held(server, address, real);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      const holder = await askHolder(address);
      if (holder === 'gone' && address.kind === 'file' && attempt === 0) {
        unlinkSync(address.path);
        continue;
      }
      throw new DataDirectoryBusyError(real, holder === 'gone' ? undefined : holder);
    }
  }
}

function held(server: net.Server, address: LockAddress, directory: string): DataDirectoryLock {
  // The lock must never keep a finished process alive.
  server.unref();
  let released: Promise<void> | undefined;
  return {
    directory,
    release() {
      released ??= new Promise<void>((resolve) => server.close(() => resolve())).then(() => {
        if (address.kind === 'file') {
          try {
            unlinkSync(address.path);
          } catch {
            // Already gone.
          }
        }
      });
      return released;
    },
  };
}

interface LockAddress {
  kind: 'abstract' | 'pipe' | 'file';
  path: string;
}

/** The socket name of a directory; exported for tests and diagnostics. */
export function lockAddress(realDirectory: string): LockAddress {
  const hash = createHash('sha256').update(realDirectory).digest('hex');
  if (process.platform === 'linux') return { kind: 'abstract', path: `\0hisaabo-pglite-${hash}` };
  if (process.platform === 'win32') return { kind: 'pipe', path: `\\\\.\\pipe\\hisaabo-pglite-${hash}` };
  // Unix socket paths are limited to ~104 bytes: a short hash in the temporary directory.
  return { kind: 'file', path: path.join(os.tmpdir(), `hisaabo-pglite-${hash.slice(0, 24)}.sock`) };
}

function listen(server: net.Server, address: LockAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once('error', fail);
    server.listen({ path: address.path, exclusive: true }, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/** The holder's own answer; 'gone' when nothing listens; undefined when it is too busy to answer. */
function askHolder(address: LockAddress): Promise<LockHolder | 'gone' | undefined> {
  return new Promise((resolve) => {
    let answer = '';
    let settled = false;
    const settle = (value: LockHolder | 'gone' | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const socket = net.connect({ path: address.path });
    const timer = setTimeout(() => settle(undefined), HOLDER_ANSWER_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('\n')) settle(parseHolder(answer));
    });
    socket.on('end', () => settle(parseHolder(answer)));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      settle(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'gone' : undefined),
    );
  });
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text.split('\n')[0] ?? '') as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.command === 'string' && typeof value.since === 'string')
      return { pid: value.pid, command: value.command, since: value.since };
  } catch {
    // Not an answer we understand.
  }
  return undefined;
}
