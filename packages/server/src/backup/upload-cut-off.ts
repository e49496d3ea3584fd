import type { Socket } from 'node:net';

export interface CutOffRefusal {
  status: 408 | 400;
  code: 'UPLOAD_TIMED_OUT' | 'UPLOAD_INTERRUPTED';
  message: string;
}

/**
 * Names an upload whose body stopped before its end for what it is: a transfer that timed out or was
 * closed, not a corrupt archive (the engine only sees the bytes end early). Node's request timeout
 * destroys the socket with ERR_HTTP_REQUEST_TIMEOUT; a cut-off of the server's own says so by its
 * error's name or code.
 */
export function cutOffRefusal(error: Error, socket: Socket | undefined, bytes: number): CutOffRefusal {
  const codeOf = (e: unknown) => (e as { code?: unknown } | null | undefined)?.code;
  const timedOut =
    codeOf(socket?.errored) === 'ERR_HTTP_REQUEST_TIMEOUT' ||
    error.name === 'TimeoutError' ||
    codeOf(error) === 'ETIMEDOUT' ||
    codeOf(error.cause) === 'ETIMEDOUT';
  return timedOut
    ? {
        status: 408,
        code: 'UPLOAD_TIMED_OUT',
        message: `The upload timed out after ${bytes} bytes, before the archive was complete; nothing was imported`,
      }
    : {
        status: 400,
        code: 'UPLOAD_INTERRUPTED',
        message: `The upload was cut off after ${bytes} bytes (the connection closed), before the archive was complete; nothing was imported`,
      };
}
