/** One repetition of one stage. */
export interface Sample {
  /** Time of the operation itself (inside the process for our steps; the whole process for pg tools). */
  opMs: number;
  /** Whole child process, start-up included. */
  wallMs: number;
  /** CPU of the operation, all threads (user + system); for pg tools, of the whole process. */
  cpuMs: number;
  /** CPU of the whole child process, start-up included. */
  processCpuMs?: number;
  /** CPU of the PostgreSQL backends serving the database meanwhile; null when not visible. */
  backendCpuMs: number | null;
  maxRssKb: number;
  /** Archive or dump bytes written or read. */
  bytes: number;
  ttfbMs?: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface StageStats {
  n: number;
  opMs: number;
  minMs: number;
  maxMs: number;
  wallMs: number;
  cpuMs: number;
  backendCpuMs: number | null;
  /** The highest peak RSS over the repetitions. */
  maxRssKb: number;
  bytes: number;
  ttfbMs: number | null;
}

export function stageStats(samples: Sample[]): StageStats | null {
  if (samples.length === 0) return null;
  const backend = samples.map((s) => s.backendCpuMs).filter((v): v is number => v !== null);
  const ttfb = samples.map((s) => s.ttfbMs).filter((v): v is number => typeof v === 'number');
  return {
    n: samples.length,
    opMs: median(samples.map((s) => s.opMs)),
    minMs: Math.min(...samples.map((s) => s.opMs)),
    maxMs: Math.max(...samples.map((s) => s.opMs)),
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    backendCpuMs: backend.length ? median(backend) : null,
    maxRssKb: Math.max(...samples.map((s) => s.maxRssKb)),
    bytes: median(samples.map((s) => s.bytes)),
    ttfbMs: ttfb.length ? median(ttfb) : null,
  };
}
