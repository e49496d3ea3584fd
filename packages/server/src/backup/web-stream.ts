import type { Readable } from 'node:stream';

export interface WebStreamOptions {
  /** The client went away (or was cut off) before the end. */
  onCancel?: (reason: unknown) => void;
  /** Every chunk handed to the client, as it goes. */
  onBytes?: (bytes: number) => void;
  /** The last chunk has been handed over. */
  onEnd?: () => void;
  /** Cut the client off when it takes nothing for this long (the producer is destroyed). */
  idleMs?: number;
  /** Called once when the client was cut off for being idle (before onCancel). */
  onIdle?: () => void;
}

/** Thrown into a transfer whose client stopped reading (or sending) for too long. */
export class IdleTransferError extends Error {
  override name = 'IdleTransferError';
  constructor(readonly idleMs: number) {
    super(`the client took nothing for ${Math.round(idleMs / 1000)} s`);
  }
}

/**
 * A Node stream as a Web stream that reads only as fast as the client takes bytes (no read-ahead
 * beyond one chunk), and tells the producer when the client goes away. With `idleMs`, a client
 * that stops reading is cut off, so it cannot hold what the producer holds (a database connection
 * and snapshot) indefinitely.
 */
export function toWebStream(
  stream: Readable,
  options: WebStreamOptions | ((reason: unknown) => void) = {},
): ReadableStream<Uint8Array> {
  const { onCancel, onBytes, onEnd, idleMs, onIdle } =
    typeof options === 'function' ? { onCancel: options } : options;
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let idleTimer: NodeJS.Timeout | undefined;
  let finished = false;
  const stopIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        stopIdleTimer();
        try {
          const { done, value } = await chunks.next();
          if (done) {
            finished = true;
            controller.close();
            onEnd?.();
            return;
          }
          controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
          onBytes?.(value.byteLength);
          if (idleMs !== undefined) {
            // The next pull comes when the client has taken this chunk; if it never does, cut it off.
            idleTimer = setTimeout(() => {
              if (finished) return;
              finished = true;
              const error = new IdleTransferError(idleMs);
              onIdle?.();
              onCancel?.(error);
              stream.destroy(error);
              controller.error(error);
            }, idleMs);
            idleTimer.unref();
          }
        } catch (error) {
          finished = true;
          controller.error(error);
        }
      },
      cancel(reason) {
        stopIdleTimer();
        if (finished) return;
        finished = true;
        onCancel?.(reason);
        stream.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
