import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './cli.ts';

/** Every test server signs backup links with this secret. */
export const TEST_SECRET = 'cli-test-secret-for-signed-backup-links-0123456789';

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then wait until the process (and its database) has shut down. */
  stop(): Promise<void>;
}

/**
 * `hisaabo serve` as a real process on an ephemeral port with its own data directory: the way an
 * operator runs it, and one whose data directory can be read after it stops.
 */
export async function startServeProcess(dataDir: string, env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', HISAABO_SECRET: TEST_SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 180_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
