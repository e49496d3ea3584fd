import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured child process: wall time seen from outside, and its peak resident set size. */
export interface Measured<R = Record<string, unknown>> {
  wallMs: number;
  /** Peak RSS of the child process (KiB), from GNU time or /proc high-water marks. */
  maxRssKb: number;
  /** CPU time of the child (user + system, all its threads), in ms; 0 when unknown. */
  cpuMs: number;
  /** What a bench step printed as its result line, if it is one of ours. */
  result: R | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const RESULT_PREFIX = '@@bench-result ';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The steps compiled as production code is (`npm run build`): plain node, no TypeScript loader. */
const STEPS = path.join(REPO_ROOT, 'dist/bench-steps.js');

/** Builds dist/ (server and bench steps) when it is missing or older than the sources. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs'), 'server', '--if-stale'], {
    stdio: ['ignore', process.stderr, 'inherit'],
  });
}

let gnuTime: boolean | null = null;
function hasGnuTime(): boolean {
  gnuTime ??= existsSync(GNU_TIME);
  return gnuTime;
}

/** Peak RSS so far of a running process (Linux), in KiB; 0 when unknown. */
function vmHwm(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs a command to completion, measuring wall time and peak RSS. GNU time reports the child's
 * getrusage maximum; without it the /proc high-water mark is polled every 20 ms.
 */
export async function measure<R = Record<string, unknown>>(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; allowFailure?: boolean } = {},
): Promise<Measured<R>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hisaabo-bench-time-'));
  const timeFile = path.join(dir, 'rusage');
  const useTime = hasGnuTime();
  const [cmd, argv] = useTime
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]]
    : [command, args];
  const started = performance.now();
  const child = spawn(cmd, argv, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  let polledKb = 0;
  const poll = useTime ? null : setInterval(() => (polledKb = Math.max(polledKb, vmHwm(child.pid ?? 0))), 20);
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  const wallMs = performance.now() - started;
  if (poll) clearInterval(poll);
  let maxRssKb = polledKb;
  let cpuMs = 0;
  if (useTime) {
    const text = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
    // GNU time writes "Command exited with non-zero status N" first on failure.
    const lines = text.trim().split('\n');
    const [rss, user, sys] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    maxRssKb = rss || 0;
    cpuMs = ((user || 0) + (sys || 0)) * 1000;
  }
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited with ${code}\n${stderr.slice(-4000)}`);
  }
  const resultLine = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  const result = resultLine ? (JSON.parse(resultLine.slice(RESULT_PREFIX.length)) as R) : null;
  return { wallMs, maxRssKb, cpuMs, result, stdout, stderr };
}

/** Runs one of bench/steps.ts's steps in its own Node process, compiled (dist/bench-steps.js). */
export function measureStep<R = Record<string, unknown>>(
  step: string,
  input: unknown,
  options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<Measured<R>> {
  return measure<R>(process.execPath, [...(options.nodeArgs ?? []), STEPS, step, JSON.stringify(input)], {
    env: options.env,
  });
}

/** Printed by a step as its one result line on stdout. */
export function printResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}
