import type { Readable } from 'node:stream';

/**
 * A Node stream as a Web stream that reads only as fast as the client takes bytes (no read-ahead
 * beyond one chunk), and tells the producer when the client goes away.
 */
export function toWebStream(
  stream: Readable,
  onCancel: (reason: unknown) => void,
): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        } catch (error) {
          controller.error(error);
        }
      },
      cancel(reason) {
        onCancel(reason);
        stream.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
