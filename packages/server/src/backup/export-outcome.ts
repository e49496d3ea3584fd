import type { ExportEnd } from './export-route.ts';

/**
 * What the history says about a download that did not complete, and whether it still counts
 * against the daily limit. It counts from its first byte whatever the client does (stopping,
 * closing near the end, being cut off for not reading); only the server's own failure gives it back.
 */
export function exportEndMessages(end: Exclude<ExportEnd, { kind: 'sent' }>): {
  counted: boolean;
  recorded: string;
} {
  switch (end.kind) {
    case 'client-stopped':
      return {
        counted: true,
        recorded: `stopped by the client after ${end.bytesSent} bytes (counted against the limit)`,
      };
    case 'idle':
      return {
        counted: true,
        recorded: `cut off: the client read nothing for ${Math.round(end.idleMs / 1000)} s, after ${end.bytesSent} bytes (counted against the limit)`,
      };
    case 'client-gone-before-first-byte':
      return { counted: false, recorded: 'the client went away before the first byte (not counted)' };
    case 'server-stopped':
      return {
        counted: false,
        recorded: `interrupted: ${(end.reason as Error)?.message ?? 'the server was stopped'} while preparing or sending (not counted)`,
      };
    case 'server-failed':
      return {
        counted: false,
        recorded: end.diskFull
          ? 'failed on the server: its disk is full (not counted)'
          : `failed on the server: ${end.message} (not counted)`,
      };
  }
}
