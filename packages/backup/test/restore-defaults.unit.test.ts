import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKER_AFTER_BYTES, defaultWorkerAfterBytes } from '../src/restore.ts';

// The line worker pays for itself only when it has a core of its own beside the reading thread and
// the database (docs/benchmarks.md, "Issue 13's round").
describe('restore line worker default', () => {
  it('keeps one thread on one or two cores', () => {
    expect(defaultWorkerAfterBytes(1)).toBe(Number.POSITIVE_INFINITY);
    expect(defaultWorkerAfterBytes(2)).toBe(Number.POSITIVE_INFINITY);
  });

  it('moves a large restore to the worker past 64 MiB of lines on more cores', () => {
    expect(DEFAULT_WORKER_AFTER_BYTES).toBe(64 * 1024 * 1024);
    expect(defaultWorkerAfterBytes(3)).toBe(DEFAULT_WORKER_AFTER_BYTES);
    expect(defaultWorkerAfterBytes(16)).toBe(DEFAULT_WORKER_AFTER_BYTES);
  });
});
