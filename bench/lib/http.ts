import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { REPO_ROOT, measure, measureStep } from './measure.ts';
import type { Sample } from './stats.ts';

// The export as a user gets it: a real server process on the benchmark database, an owner who asks
// for a signed link (`selfExport.request`) and downloads it. The server's own peak RSS and CPU are
// read from /proc around each download (its high-water mark reset first).

export interface HttpExporter {
  /** Downloads one export; `window` is when, on the monotonic clock of CPU profiles (µs). */
  download(out: string): Promise<{ sample(backendCpuMs: number | null): Sample; window: [number, number] }>;
  stop(): Promise<void>;
}

/** The server as `npm start` runs it: compiled, plain node. */
const SERVER_MAIN = path.join(REPO_ROOT, 'dist/server.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function procStatus(pid: number): { hwmKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { hwmKb: Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) };
}

function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resets the peak-RSS mark of a process (Linux: writing 5 to clear_refs). */
function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not permitted: the figure then includes the server's start-up peak.
  }
}

async function waitForListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`server did not start: ${output.slice(-2000)}`)),
      timeoutMs,
    );
    const onData = (data: string) => {
      output += data;
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'listening' && entry.url) {
            clearTimeout(timer);
            resolve(entry.url);
            return;
          }
        } catch {
          // a partial line
        }
      }
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output.slice(-2000)}`));
    });
  });
}

async function trpc<T>(base: string, procedure: string, input: unknown, token?: string): Promise<T> {
  const response = await fetch(`${base}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { result?: { data: T }; error?: { message?: string } };
  if (!response.ok || !body.result) {
    throw new Error(`${procedure}: HTTP ${response.status} ${body.error?.message ?? JSON.stringify(body)}`);
  }
  return body.result.data;
}

/** The monotonic clock V8's CPU profiles use, in microseconds. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * The download's client. curl when it is there: a C client takes little of the machine's cores, so
 * the figure is the server's (a Node client here costs about a core's worth of streams of its own,
 * which the engine writing a file never pays). Otherwise a Node step with fetch.
 */
async function fetchArchive(
  url: string,
  out: string,
): Promise<{ opMs: number; ttfbMs: number; bytes: number }> {
  if (hasCurl()) {
    const m = await measure('curl', [
      '-sS',
      '-f',
      '-o',
      out,
      '-w',
      '%{time_starttransfer} %{size_download}',
      url,
    ]);
    const [ttfb, bytes] = m.stdout.trim().split(' ').map(Number);
    return { opMs: m.wallMs, ttfbMs: (ttfb ?? 0) * 1000, bytes: bytes ?? 0 };
  }
  const measured = await measureStep<{ opMs: number; ttfbMs: number; bytes: number }>('download', {
    url,
    out,
  });
  return measured.result!;
}

let curl: boolean | null = null;
function hasCurl(): boolean {
  if (curl === null) {
    try {
      execFileSync('curl', ['--version'], { stdio: 'ignore' });
      curl = true;
    } catch {
      curl = false;
    }
  }
  return curl;
}

/** Which client `download` uses, for the report. */
export function downloadClient(): string {
  return hasCurl() ? 'curl' : 'a Node process (fetch)';
}

export async function startHttpExporter(options: {
  databaseUrl: string;
  tenantId: string;
  work: string;
  /** Extra arguments for the server's node, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}): Promise<HttpExporter> {
  if (!existsSync(SERVER_MAIN)) throw new Error('the server is not built (npm run build)');
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      HISAABO_DATA_DIR: path.join(options.work, 'server-data'),
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      // No recurring-invoice runs in the measured organization while it is being measured.
      HISAABO_SCHEDULER: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  try {
    await waitForListening(child, 60_000);
    const base = `http://127.0.0.1:${port}`;
    const email = `bench-${randomBytes(6).toString('hex')}@example.com`;
    const registered = await trpc<{ user: { id: string }; sessionToken: string }>(base, 'auth.register', {
      email,
      password: randomBytes(18).toString('base64url'),
      name: 'Benchmark owner',
    });
    const db = new pg.Client({ connectionString: options.databaseUrl });
    await db.connect();
    // The benchmark's owner: membership written directly (the organization was made by the seeder).
    await db.query(`INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`, [
      options.tenantId,
      registered.user.id,
    ]);
    const pid = child.pid!;
    return {
      async download(out) {
        // Every repetition counts against the 2-exports-per-day limit of this throwaway organization:
        // earlier benchmark exports are moved out of the window instead of weakening the limit.
        await db.query(
          `UPDATE backup_events SET created_at = created_at - interval '25 hours'
           WHERE tenant_id = $1 AND kind = 'export'`,
          [options.tenantId],
        );
        const link = await trpc<{ url: string }>(
          base,
          'selfExport.request',
          { tenantId: options.tenantId },
          registered.sessionToken,
        );
        const url = new URL(link.url, base).toString();
        resetPeak(pid);
        const cpuBefore = procCpuMs(pid);
        const startUs = nowUs();
        const r = await fetchArchive(url, out);
        const window: [number, number] = [startUs, nowUs()];
        const cpuMs = procCpuMs(pid) - cpuBefore;
        const { hwmKb } = procStatus(pid);
        return {
          window,
          sample: (backendCpuMs) => ({
            opMs: r.opMs,
            wallMs: r.opMs,
            cpuMs,
            backendCpuMs,
            maxRssKb: hwmKb,
            bytes: r.bytes,
            ttfbMs: r.ttfbMs,
          }),
        };
      },
      async stop() {
        await db.end().catch(() => {});
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
