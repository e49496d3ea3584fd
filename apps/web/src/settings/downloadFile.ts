export interface DownloadProgress {
  received: number;
}

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The file name from `Content-Disposition: attachment; filename="…"`. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

/**
 * Fetches `url` and hands the body to the browser as a download. Fetching first (rather than
 * navigating to the link) is what lets the page show the server's error, e.g. an expired link or
 * the export limit, instead of saving an error message as the file.
 */
export async function downloadFile(
  url: string,
  fallbackName: string,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<{ fileName: string; bytes: number }> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) {
    let message = `The download failed (HTTP ${response.status}).`;
    try {
      const body = (await response.json()) as { message?: string; error?: string };
      message = body.message ?? body.error ?? message;
    } catch {
      // Not JSON: keep the status.
    }
    throw new DownloadError(message, response.status);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress?.({ received });
    }
  }
  const fileName = fileNameOf(response, fallbackName);
  const blob = new Blob(chunks as BlobPart[], {
    type: response.headers.get('content-type') ?? 'application/octet-stream',
  });
  const objectUrl = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = objectUrl;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The browser has taken the blob once the click is handled.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
  return { fileName, bytes: received };
}
