import { Readable } from 'node:stream';
import { IdleTransferError } from './web-stream.ts';

/** Thrown into the upload stream when the body passes the configured size. */
export class UploadTooLargeError extends Error {
  override name = 'UploadTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`The upload is larger than the limit of ${limitBytes} bytes (HISAABO_MAX_UPLOAD_BYTES)`);
  }
}

export interface Upload {
  /** The body as a Node stream, pulled on demand: nothing is buffered beyond what the reader asks for. */
  readonly stream: Readable;
  /** Bytes that have passed through so far. */
  readonly bytes: () => number;
  readonly tooLarge: () => boolean;
  /** Why the body stopped before its end (connection closed, timed out), when it did. */
  readonly cutOff: () => Error | undefined;
  /** True once the client was cut off for sending nothing for too long. */
  readonly timedOut: () => boolean;
  /**
   * Ends the upload once the server has its answer. A body cut short makes many HTTP clients report
   * a broken connection instead of the answer, so what is left is read and discarded, up to the size
   * limit; past the limit the body is cancelled instead. After `interrupt` there is nothing left to read.
   */
  readonly release: () => Promise<void>;
  /**
   * Ends the upload now: a read waiting on the client returns at once, and the stream fails with
   * `reason` when it is next read (not before: a stream nobody reads yet must not raise an error).
   */
  readonly interrupt: (reason: Error) => void;
}

/**
 * Opens a request body for streaming with a byte ceiling. Returns undefined for an empty body; the
 * first chunk is read here so an empty upload is told apart before anything irreversible happens.
 */
export async function openUpload(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  /** A client that sends nothing for this long is cut off (IdleTransferError). */
  idleMs?: number,
): Promise<Upload | undefined> {
  if (!body) return undefined;
  const reader = body.getReader();
  let timedOut = false;
  let cutOff: Error | undefined;
  /** Reads on, remembering a read that fails: that is the transfer breaking, not the archive. */
  async function read() {
    try {
      return await readWithin(reader, idleMs);
    } catch (error) {
      if (error instanceof IdleTransferError) timedOut = true;
      cutOff = error instanceof Error ? error : new Error(String(error));
      throw cutOff;
    }
  }
  let first: Uint8Array | undefined;
  while (!first) {
    const { done, value } = await read();
    if (done) return undefined;
    if (value.byteLength > 0) first = value;
  }
  let bytes = 0;
  let tooLarge = false;
  let interrupted: Error | undefined;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      let chunk: Uint8Array | undefined = first;
      while (chunk) {
        if (interrupted) throw interrupted;
        bytes += chunk.byteLength;
        if (bytes > maxBytes) {
          tooLarge = true;
          throw new UploadTooLargeError(maxBytes);
        }
        yield chunk;
        const next = await read();
        if (interrupted) throw interrupted;
        chunk = next.done ? undefined : next.value;
      }
    } finally {
      if (tooLarge) reader.cancel().catch(() => {});
    }
  }
  async function release(): Promise<void> {
    // Counted apart from `bytes`, which stays the size the restore actually saw.
    let discarded = bytes;
    try {
      while (!tooLarge && discarded <= maxBytes) {
        // Bounded too: when the restore has no read of its own pending, no other timer would end this.
        const next = await readWithin(reader, idleMs);
        if (next.done) return;
        discarded += next.value.byteLength;
      }
      await reader.cancel();
    } catch {
      // The client went away: nothing left to discard.
    }
  }
  return {
    stream: Readable.from(chunks(), { objectMode: false }),
    bytes: () => bytes,
    tooLarge: () => tooLarge,
    cutOff: () => cutOff,
    timedOut: () => timedOut,
    release,
    interrupt(reason) {
      interrupted ??= reason;
      // Settles a pending read as done.
      reader.cancel(reason).catch(() => {});
    },
  };
}

/** One read, or IdleTransferError (and the body cancelled) when nothing comes within `idleMs`. */
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleMs: number | undefined,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (idleMs === undefined) return reader.read();
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected before the cancel settles the pending read as done, so the race sees the timeout.
      reject(new IdleTransferError(idleMs));
      reader.cancel().catch(() => {});
    }, idleMs);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}
