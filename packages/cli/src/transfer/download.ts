import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { ApiClient } from '../api/client.ts';
import { networkError } from '../api/failures.ts';
import { transferError } from './http-errors.ts';

export interface Download {
  stream: Readable;
  /** From Content-Length, when the server knows it in advance (a streamed export usually does not). */
  size: number | undefined;
  /** The server's suggested file name (Content-Disposition). */
  fileName: string | undefined;
}

/** Starts the GET of a signed export URL; resolves once the headers say the archive is coming. */
export async function startDownload(client: ApiClient, url: string): Promise<Download> {
  let response: Response;
  try {
    response = await fetch(client.resolve(url), { headers: client.headers() });
  } catch (error) {
    throw networkError(client.apiUrl, error);
  }
  if (!response.ok || !response.body) {
    throw transferError(response.status, await response.text().catch(() => ''), 'export');
  }
  const length = Number(response.headers.get('content-length'));
  const disposition = response.headers.get('content-disposition') ?? '';
  const stream = Readable.fromWeb(response.body as unknown as NodeWebReadableStream<Uint8Array>);
  return {
    stream,
    size: Number.isFinite(length) && length > 0 ? length : undefined,
    fileName: /filename="?([^";]+)"?/.exec(disposition)?.[1],
  };
}
