import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET } from '../backup-support.ts';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const MAIN = path.join(ROOT, 'packages/server/src/main.ts');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
}

/**
 * The real server as its own process on the given database; resolves with the URL it logs. Node
 * itself with tsx as a loader (not the tsx command, which would run the server as a grandchild that
 * outlives a SIGKILL), so a signal reaches the server the way it would in production.
 */
export function startServerProcess(databaseUrl: string, dataDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      HISAABO_SECRET: TEST_SECRET,
      HISAABO_DATA_DIR: dataDir,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'listening' && entry.url) {
          resolve({ url: `http://127.0.0.1:${new URL(entry.url).port}`, child });
        }
      } catch {
        // Not a JSON log line.
      }
    });
  });
}

/** Sends the signal (SIGTERM: a clean stop; SIGKILL: a crash) and waits until the process is gone. */
export function stopServerProcess(
  child: ChildProcess | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
