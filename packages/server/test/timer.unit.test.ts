import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPassTimer } from '../src/timer.ts';

/** A pass the test finishes by hand. */
function controlledPass() {
  const finishers: ((value: string) => void)[] = [];
  const pass = vi.fn(() => new Promise<string>((resolve) => finishers.push(resolve)));
  return { pass, finish: (value: string) => finishers.shift()?.(value) };
}

const options = { onError: () => 'failed', intervalMs: 1_000, firstPassWithinMs: 100 };

describe('the pass timer of background jobs', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a first pass soon, then one an interval, never two at once', async () => {
    vi.useFakeTimers();
    const { pass, finish } = controlledPass();
    const timer = startPassTimer({ ...options, pass });
    await vi.advanceTimersByTimeAsync(99);
    expect(pass).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(pass).toHaveBeenCalledTimes(1);
    // Still running at the interval's tick: the tick and runOnce join the pass in flight.
    await vi.advanceTimersByTimeAsync(900);
    const joined = timer.runOnce();
    expect(pass).toHaveBeenCalledTimes(1);
    finish('first');
    expect(await joined).toBe('first');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pass).toHaveBeenCalledTimes(2);
    finish('second');
    await timer.stop();
  });

  it('a failed pass resolves to what onError makes of it, and the next pass runs', async () => {
    const pass = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce('ok');
    const errors: unknown[] = [];
    const timer = startPassTimer({
      ...options,
      pass,
      onError: (error) => {
        errors.push(error);
        return 'failed';
      },
      enabled: false,
    });
    expect(await timer.runOnce()).toBe('failed');
    expect(errors).toEqual([new Error('down')]);
    expect(await timer.runOnce()).toBe('ok');
    await timer.stop();
  });

  it('stop waits for the pass in flight, and no pass starts after it', async () => {
    vi.useFakeTimers();
    const { pass, finish } = controlledPass();
    const timer = startPassTimer({ ...options, pass });
    await vi.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = timer.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);
    finish('done');
    await stopping;
    expect(stopped).toBe(true);
    expect(pass).toHaveBeenCalledTimes(1);
  });

  it('disabled, it runs only when asked', async () => {
    vi.useFakeTimers();
    const pass = vi.fn(async () => 'asked');
    const timer = startPassTimer({ ...options, pass, enabled: false });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pass).not.toHaveBeenCalled();
    expect(await timer.runOnce()).toBe('asked');
    await timer.stop();
  });

  it('never keeps the process alive', async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timeouts();
    const timer = startPassTimer({ ...options, pass: async () => 'x', intervalMs: 3_600_000 });
    expect(timeouts()).toBe(before);
    await timer.stop();
  });
});
