import path from 'node:path';
import type { ServerConfig } from '../config.ts';
import { resolveServerSecret } from './secret.ts';
import { LinkSigner } from './signing.ts';

export interface BackupSettings {
  /** Largest compressed upload accepted by the restore route. */
  maxUploadBytes: number;
  /** Largest decompressed archive the restore engine will read. */
  maxArchiveBytes: number;
  /** Public origin, e.g. https://books.example.com: when set, links are absolute. */
  publicUrl: string | undefined;
  /** A transfer whose client takes or sends nothing for this long is cut off. */
  idleTransferMs: number;
}

export function backupSettings(config: ServerConfig): BackupSettings {
  return {
    maxUploadBytes: config.HISAABO_MAX_UPLOAD_BYTES,
    maxArchiveBytes: config.HISAABO_MAX_ARCHIVE_BYTES,
    publicUrl: config.HISAABO_PUBLIC_URL?.replace(/\/+$/, ''),
    idleTransferMs: Math.round(config.HISAABO_IDLE_TRANSFER_TIMEOUT * 1000),
  };
}

// One signer per configuration: the secret is resolved (and, by default, created) on first use only.
const signers = new WeakMap<ServerConfig, LinkSigner>();

export function linkSigner(config: ServerConfig): LinkSigner {
  let signer = signers.get(config);
  if (!signer) {
    signer = new LinkSigner(serverSecret(config));
    signers.set(config, signer);
  }
  return signer;
}

/** Resolves the server secret now, so a misconfigured production server fails at start, not later. */
export function serverSecret(config: ServerConfig): string {
  return resolveServerSecret({
    configured: config.HISAABO_SECRET,
    production: config.NODE_ENV === 'production',
    dataDir: path.resolve(config.HISAABO_DATA_DIR),
  });
}

/** `/api/...?token=` as given, or absolute under the configured public URL. */
export function linkUrl(settings: BackupSettings, pathAndQuery: string): string {
  return settings.publicUrl ? `${settings.publicUrl}${pathAndQuery}` : pathAndQuery;
}
