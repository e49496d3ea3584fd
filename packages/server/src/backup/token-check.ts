import type { LinkClaims, LinkSigner } from './signing.ts';
import { BackupHttpError } from './http-errors.ts';
import type { BackupPurpose, ConsumeResult } from './token-store.ts';

const LINK_NAMES: Record<BackupPurpose, string> = {
  export: 'an export link',
  import: 'an import link',
  stored: 'a stored backup link',
};

/**
 * The link's claims when the token in the query string is well signed for this purpose, unexpired
 * and made for this organization; otherwise the 401 to answer. Nothing is recorded yet.
 */
export function checkLinkToken(
  signer: LinkSigner,
  purpose: BackupPurpose,
  token: string | undefined,
  tenantId: string,
): LinkClaims {
  if (!token) {
    throw new BackupHttpError(401, 'TOKEN_MISSING', 'Missing token: add ?token=… from the request procedure');
  }
  const verified = signer.verify(purpose, token);
  if (!verified.ok) {
    throw verified.reason === 'expired'
      ? new BackupHttpError(401, 'TOKEN_EXPIRED', 'The link has expired; request a new one')
      : new BackupHttpError(
          401,
          'TOKEN_INVALID',
          `Invalid token: not ${LINK_NAMES[purpose]} issued by this server`,
        );
  }
  if (verified.claims.tenantId !== tenantId.toLowerCase()) {
    throw new BackupHttpError(
      401,
      'TOKEN_TENANT_MISMATCH',
      'Token tenant mismatch: the link is for another organization',
    );
  }
  return verified.claims;
}

/** The 401 for a token that the database refused to mark used. */
export function consumeFailure(result: Exclude<ConsumeResult, { ok: true }>): BackupHttpError {
  switch (result.reason) {
    case 'used':
      return new BackupHttpError(401, 'TOKEN_USED', 'The link was already used; each link works once');
    case 'expired':
      return new BackupHttpError(401, 'TOKEN_EXPIRED', 'The link has expired; request a new one');
    default:
      return new BackupHttpError(401, 'TOKEN_INVALID', 'Invalid token: no such link was issued');
  }
}
