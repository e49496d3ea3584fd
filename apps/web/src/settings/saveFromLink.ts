import { DownloadError } from './downloadFile.ts';

/**
 * Hands a signed download link to the browser's own download manager, which streams the file to
 * disk: the archive never passes through page memory, whatever its size.
 *
 * The download manager would only say "failed" for a refused link, so the link is checked first
 * with `&check=1`: the server answers 204, or the refusal the download would get (limit reached,
 * link expired…) in words. The check spends neither the link nor the daily limit.
 */
export async function saveFromLink(url: string): Promise<void> {
  const check = new URL(url, window.location.href);
  check.searchParams.set('check', '1');
  const response = await fetch(check, { credentials: 'same-origin', cache: 'no-store' });
  if (response.status !== 204) {
    let message = `The download failed (HTTP ${response.status}).`;
    try {
      const body = (await response.json()) as { message?: string; error?: string };
      message = body.message ?? body.error ?? message;
    } catch {
      // Not JSON: keep the status.
    }
    throw new DownloadError(message, response.status);
  }
  const anchor = document.createElement('a');
  // The server names the file (Content-Disposition: attachment), so the page does not navigate.
  anchor.href = new URL(url, window.location.href).toString();
  anchor.download = '';
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}
