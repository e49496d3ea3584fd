/**
 * At most `max` stored backups write at once in this process. `tryAcquire` never waits: the
 * scheduler claims a slot in the database only when it can start the run at once, so a claimed
 * slot never sits in a queue of a process that may die.
 */
export class ConcurrencyLimit {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly max: number) {}

  get running(): number {
    return this.#running;
  }

  tryAcquire(): (() => void) | undefined {
    if (this.#running >= this.max) return undefined;
    this.#running++;
    return this.#releaser();
  }

  /** Waits for a free place (runs asked for by a person or the CLI queue rather than fail). */
  async acquire(): Promise<() => void> {
    const now = this.tryAcquire();
    if (now) return now;
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // The place passes straight to the next waiter; the count stays as it is.
      if (next) next();
      else this.#running--;
    };
  }
}
