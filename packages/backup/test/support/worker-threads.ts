import type { Worker } from 'node:worker_threads';
import { expect, vi } from 'vitest';
import type * as WorkerScript from '../../src/worker-script.ts';

/** The workers started through `startWorker` in this test file, and those that have exited. */
export const threads = { started: [] as Worker[], exited: new Set<Worker>() };

/**
 * A `vi.mock` factory for `src/worker-script.ts` that records every worker it starts:
 * `vi.mock('../src/worker-script.ts', async (original) => (await import('./support/worker-threads.ts')).recordingWorkers(original))`.
 */
export async function recordingWorkers(
  importOriginal: () => Promise<typeof WorkerScript>,
): Promise<typeof WorkerScript> {
  const real = await importOriginal();
  return {
    ...real,
    startWorker: (...args: Parameters<typeof real.startWorker>) => {
      const worker = real.startWorker(...args);
      threads.started.push(worker);
      worker.once('exit', () => threads.exited.add(worker));
      return worker;
    },
  };
}

/** Every worker started so far has exited (waiting a moment for the exit event). */
export async function expectNoWorkerLeft(): Promise<void> {
  await vi.waitFor(() => {
    for (const worker of threads.started) expect(threads.exited.has(worker)).toBe(true);
  });
}
