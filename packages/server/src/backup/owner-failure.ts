import { BackupHttpError } from './http-errors.ts';
import { OWNERS_ONLY_MESSAGE, type OwnerCheck } from './ownership.ts';

/** The answer when the link's user may no longer use it (checked when the link is used). */
export function ownerFailure(check: Exclude<OwnerCheck, { ok: true }>): BackupHttpError {
  switch (check.reason) {
    case 'not_found':
      return new BackupHttpError(404, 'TENANT_NOT_FOUND', 'Organization not found');
    case 'not_active':
      return new BackupHttpError(403, 'TENANT_NOT_ACTIVE', 'The organization is not active');
    default:
      return new BackupHttpError(
        401,
        'NOT_OWNER',
        `${OWNERS_ONLY_MESSAGE}; the link's user is no longer an owner of this organization`,
      );
  }
}
