import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { ApiClient } from '../api/client.ts';
import { networkError } from '../api/failures.ts';
import { badFile, CliError } from '../errors.ts';

export interface UploadAnswer {
  status: number;
  body: string;
}

/**
 * POSTs a stream as the raw gzip body of a signed import URL. node:http rather than fetch: the server
 * may answer (409, 413) before the body is fully sent, and http.request lets us read that answer
 * instead of reporting a broken pipe. Nothing is buffered: the body flows as it is read from disk.
 */
export function upload(
  client: ApiClient,
  url: string,
  body: Readable,
  size: number | undefined,
): Promise<UploadAnswer> {
  const target = new URL(client.resolve(url));
  const transport = target.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...client.headers(), 'content-type': 'application/gzip' };
  if (size !== undefined) headers['content-length'] = String(size);
  return new Promise<UploadAnswer>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const request = transport.request(target, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        finish(() =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        ),
      );
      response.on('error', (error) => finish(() => reject(networkError(client.apiUrl, error))));
      // The server has answered: whatever is left of the body is not needed.
      body.unpipe(request);
    });
    request.on('error', (error) => {
      // A reset after the answer started is the server closing early on purpose (e.g. 413); the
      // answer itself is what counts, and 'end' above delivers it.
      setTimeout(() => finish(() => reject(networkError(client.apiUrl, error))), 50);
    });
    body.on('error', (error) => {
      request.destroy();
      finish(() =>
        reject(error instanceof CliError ? error : badFile(`cannot read the backup: ${error.message}`)),
      );
    });
    body.pipe(request);
  });
}
