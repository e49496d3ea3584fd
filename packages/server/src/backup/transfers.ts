/** Why a transfer was stopped by the server itself: the history says so, and it is never counted. */
export class ServerStoppingError extends Error {
  override name = 'ServerStoppingError';
  constructor(readonly signal: string) {
    super(`the server was stopped (${signal})`);
  }
}

/**
 * The exports and restores this process is running, so that a stopping server can end them
 * properly: a restore rolls back, an export is recorded as interrupted by the server, and the
 * database is closed only once they have.
 */
export class ActiveTransfers {
  readonly #running = new Set<Promise<unknown>>();
  readonly #stopping = new AbortController();

  /** Aborted (with a ServerStoppingError) when the server begins to stop. */
  get signal(): AbortSignal {
    return this.#stopping.signal;
  }

  /** Follows `work` until it settles; the server waits for it when stopping. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => {},
      () => {},
    );
    this.#running.add(settled);
    void settled.then(() => this.#running.delete(settled));
    return work;
  }

  get size(): number {
    return this.#running.size;
  }

  /** Tells every transfer to stop and waits for them, at most `timeoutMs`. */
  async stop(signal: string, timeoutMs: number): Promise<void> {
    this.#stopping.abort(new ServerStoppingError(signal));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.#running]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
