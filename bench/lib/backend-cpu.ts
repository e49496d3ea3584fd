import { readFileSync } from 'node:fs';
import pg from 'pg';

const CLOCK_TICKS_PER_SECOND = 100;

/** user + system CPU of a process so far (ms), from /proc; null once it is gone. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Watches the CPU time spent by the PostgreSQL backends serving one database while a step runs, so
 * the report can say how much of a stage is the database's work. Works when the server runs on this
 * machine (its processes are visible in /proc); reports null otherwise. Sampled every 50 ms: a
 * backend's last < 50 ms before it exits can be missed.
 */
export class BackendCpuWatcher {
  private readonly last = new Map<number, number>();
  /** CPU already used by backends that existed before the step (pooled server connections). */
  private baseline = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private client: pg.Client | null = null;
  private visible = true;
  private busy = false;

  constructor(
    private readonly adminUrl: string,
    private readonly database: string,
  ) {}

  async start(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.adminUrl });
    await this.client.connect();
    await this.sample();
    this.baseline = new Map(this.last);
    this.timer = setInterval(() => void this.sample(), 50);
  }

  private async sample(): Promise<void> {
    if (!this.client || this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1',
        [this.database],
      );
      for (const pid of new Set([...this.last.keys(), ...rows.map((r) => r.pid)])) {
        const cpu = processCpuMs(pid);
        if (cpu === null) {
          if (!this.last.has(pid)) this.visible = false;
          continue;
        }
        this.last.set(pid, cpu);
      }
    } catch {
      // The watcher must never fail the measurement it watches.
    } finally {
      this.busy = false;
    }
  }

  /** CPU ms used by this database's backends since start (a backend born since, from its birth). */
  async stop(): Promise<number | null> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    await this.client?.end().catch(() => {});
    this.client = null;
    if (!this.visible && this.last.size === 0) return null;
    let total = 0;
    for (const [pid, cpu] of this.last) total += cpu - (this.baseline.get(pid) ?? 0);
    return total;
  }
}
