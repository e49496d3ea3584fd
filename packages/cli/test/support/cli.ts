import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/hisaabo.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, which is a pipe: the command never sees a terminal. */
  input?: string | Buffer;
  cwd?: string;
  /** Keep stdout as bytes (for `-o -`). */
  binary?: boolean;
}

/**
 * A sandbox for running the real `hisaabo` binary as a child process: its own HOME and config
 * directory, no HISAABO_* variables inherited from the machine, colours off.
 */
export class CliSandbox {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'hisaabo-cli-test-'));
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  get configFile(): string {
    return this.path('config', 'hisaabo', 'config.json');
  }

  baseEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (
        value !== undefined &&
        !key.startsWith('HISAABO_') &&
        key !== 'DATABASE_URL' &&
        key !== 'NO_COLOR'
      ) {
        env[key] = value;
      }
    }
    // Without HISAABO_FROM_SOURCES: bin/hisaabo.js runs the bundle while it is fresh, which the suite's
    // global setup builds from this tree (test/support/fresh-bundle.ts), and the sources otherwise.
    return { ...env, HOME: this.path('home'), XDG_CONFIG_HOME: this.path('config') };
  }

  run(args: string[], options: CliRun = {}): Promise<CliResult & { stdoutBytes: Buffer }> {
    const env = { ...this.baseEnv(), ...options.env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: options.cwd ?? this.dir,
        env: env as NodeJS.ProcessEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        const stdoutBytes = Buffer.concat(out);
        resolve({
          code,
          stdout: stdoutBytes.toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          stdoutBytes,
        });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(options.input ?? '');
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Fails with the command's output, so a wrong exit code explains itself in the test report. */
export function describeRun(result: CliResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout.slice(0, 4000)}\n--- stderr\n${result.stderr.slice(0, 4000)}`;
}
