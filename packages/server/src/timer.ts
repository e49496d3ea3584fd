/** A background job run by a timer, or at once by `runOnce`. */
export interface PassTimer<T> {
  /** One pass now, or the pass already in flight: passes never overlap within a process. */
  runOnce(): Promise<T>;
  /** Stops the timer and waits for the pass in flight, so shutdown never cuts one short. */
  stop(): Promise<void>;
}

export interface PassTimerOptions<T> {
  /** One pass of the job. */
  pass: () => Promise<T>;
  /** What a failed pass resolves to, once `onError` has reported it: a timer has nobody to throw to. */
  onError: (error: unknown) => T;
  /** Time between passes. */
  intervalMs: number;
  /** The first pass comes sooner than a whole interval after start (at most this long). */
  firstPassWithinMs: number;
  /** False: no timer at all, only `runOnce`. */
  enabled?: boolean;
}

/**
 * Runs `pass` every `intervalMs` on timers that never keep the process alive (unref), skipping a
 * tick while the previous pass is still running.
 */
export function startPassTimer<T>(options: PassTimerOptions<T>): PassTimer<T> {
  const { pass, onError, intervalMs } = options;
  let running: Promise<T> | null = null;
  let stopped = options.enabled === false;

  const runOnce = (): Promise<T> => {
    if (running) return running;
    running = pass()
      .catch(onError)
      .finally(() => {
        running = null;
      });
    return running;
  };

  const tick = () => {
    if (!stopped) void runOnce();
  };
  const first = stopped
    ? undefined
    : setTimeout(tick, Math.min(options.firstPassWithinMs, intervalMs)).unref();
  const every = stopped ? undefined : setInterval(tick, intervalMs).unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
