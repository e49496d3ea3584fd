// What every benchmark stage shares: the log line, the units, and turning a measured process into
// a sample (ours: the operation's own figures; a pg tool: the whole process).

import { existsSync, statSync } from 'node:fs';
import { BackendCpuWatcher } from './backend-cpu.ts';
import type { Measured } from './measure.ts';
import type { PgServer } from './pg.ts';
import type { Sample } from './stats.ts';

export const log = (message: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
/** The demo generator's seed for every organization the bench makes. */
export const SEED = 1;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

export function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** A step of ours as a sample: its own operation time, with the process's figures. */
export function ours(m: Measured, backendCpuMs: number | null): Sample {
  const r = m.result ?? {};
  return {
    opMs: Number(r.opMs),
    wallMs: m.wallMs,
    // The operation's own CPU when the step measured it; else the whole process's.
    cpuMs: typeof r.opCpuMs === 'number' ? r.opCpuMs : m.cpuMs,
    processCpuMs: m.cpuMs,
    backendCpuMs,
    maxRssKb: m.maxRssKb || Number(r.maxRssKb) || 0,
    bytes: Number(r.bytes ?? 0),
    ...(typeof r.ttfbMs === 'number' ? { ttfbMs: r.ttfbMs } : {}),
  };
}

/** A pg tool run as a sample: the whole process is the operation. */
export function tool(m: Measured, backendCpuMs: number | null, bytes: number): Sample {
  return { opMs: m.wallMs, wallMs: m.wallMs, cpuMs: m.cpuMs, backendCpuMs, maxRssKb: m.maxRssKb, bytes };
}

/** Runs `run` while the CPU of the database's backends is watched. */
export async function watched<T>(server: PgServer, database: string, run: () => Promise<T>) {
  const watcher = new BackendCpuWatcher(server.adminUrl, database);
  await watcher.start();
  try {
    const value = await run();
    return { value, backendCpuMs: await watcher.stop() };
  } catch (error) {
    await watcher.stop();
    throw error;
  }
}
