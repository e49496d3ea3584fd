import { randomUUID } from 'node:crypto';
import { isoInstantOf } from '@hisaabo/db';
import type { LinkSigner } from '../backup/signing.ts';

/** A CSV link can be opened for 5 minutes (again if a download broke off): it only reads. */
export const CSV_LINK_TTL_MS = 5 * 60 * 1000;

export function issueCsvLink(
  signer: LinkSigner,
  input: { tenantId: string; userId: string; businessId: string },
  now = Date.now(),
): { token: string; expiresAt: string } {
  const expiresAt = now + CSV_LINK_TTL_MS;
  const token = signer.sign('csv', { id: randomUUID(), ...input, expiresAt });
  return { token, expiresAt: isoInstantOf(expiresAt) };
}

/** A file-name-safe form of a business name: "Sharma & Sons Pvt." → "sharma-sons-pvt". */
export function fileNamePart(name: string): string {
  const part = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return part || 'business';
}

export function csvZipFileName(businessName: string, now = new Date()): string {
  return `hisaabo-${fileNamePart(businessName)}-csv-${now.toISOString().slice(0, 10)}.zip`;
}
