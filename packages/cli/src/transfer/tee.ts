import { PassThrough, type Readable, Transform } from 'node:stream';

/**
 * A pass-through stage that also feeds every chunk to a second consumer (the archive verifier) as the
 * bytes flow, so an export is checked without reading the file a second time. The slower of the two
 * sets the pace (backpressure on both sides); if the consumer stops early, the main flow goes on.
 */
export function teeInto<T>(consume: (stream: Readable) => Promise<T>): {
  tap: Transform;
  result: Promise<T>;
} {
  const side = new PassThrough({ highWaterMark: 1024 * 1024 });
  side.on('error', () => {});
  let stopped = false;
  let ended = false;
  let waiting: (() => void) | undefined;
  const release = () => {
    const next = waiting;
    waiting = undefined;
    next?.();
  };
  const result = consume(side).finally(() => {
    stopped = true;
    // Whatever the consumer did not read must not hold the main flow back.
    side.resume();
    release();
  });
  // Settled by the caller; this keeps an early failure from being reported as unhandled meanwhile.
  result.catch(() => {});
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (stopped || side.destroyed) {
        callback(null, chunk);
        return;
      }
      if (side.write(chunk)) {
        callback(null, chunk);
        return;
      }
      waiting = () => callback(null, chunk);
      side.once('drain', release);
    },
    flush(callback) {
      ended = true;
      if (!stopped) side.end();
      callback();
    },
    destroy(error, callback) {
      // Normal completion also destroys the tap; the consumer may still be reading its last bytes then.
      if (!stopped && (error || !ended))
        side.destroy(error ?? new Error('the transfer stopped before the end'));
      callback(error);
    },
  });
  return { tap, result };
}
