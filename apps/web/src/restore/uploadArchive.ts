import { CSRF_HEADER } from '../api/trpc.ts';
import { noAnswer, parseRestoreResponse, type RestoreOutcome } from './restoreResponse.ts';

export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * Sends the file as the raw request body. XMLHttpRequest rather than fetch because only it reports
 * upload progress; the browser streams the file from disk, so its size does not matter here.
 */
export function uploadArchive(
  url: string,
  file: File,
  options: { pauseRecurring: boolean; onProgress: (progress: UploadProgress) => void; signal?: AbortSignal },
): Promise<RestoreOutcome> {
  const { onProgress, signal } = options;
  const target = new URL(url, window.location.href);
  if (options.pauseRecurring) target.searchParams.set('pauseRecurring', 'true');
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', target.toString());
    xhr.setRequestHeader('Content-Type', 'application/gzip');
    for (const [name, value] of Object.entries(CSRF_HEADER)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      onProgress({ sent: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => resolve(parseRestoreResponse(xhr.status, xhr.responseText));
    xhr.onerror = () => resolve(noAnswer());
    xhr.onabort = () => resolve(noAnswer('The upload was cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}
