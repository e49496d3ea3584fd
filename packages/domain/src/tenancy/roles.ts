import type { Role } from '@hisaabo/db';
import { DomainError } from '../errors.ts';

/** Who manages an organization: its members, invitations and businesses. */
export const MANAGERS: readonly Role[] = ['owner', 'admin'];

/** Roles that may change data; viewers only read. */
export function canWrite(role: Role): boolean {
  return role !== 'viewer';
}

/** Throws FORBIDDEN unless `role` is one of `allowed`. */
export function requireRole(role: Role, allowed: readonly Role[]): void {
  if (!allowed.includes(role)) {
    throw new DomainError('FORBIDDEN', `This needs the role ${allowed.join(' or ')}; you are ${role}`);
  }
}
