import { TRPCError } from '@trpc/server';
import { ROLES, type Role } from '@hisaabo/db';

export { ROLES, type Role };

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** True when `role` is `minimum` or above it (owner > admin > member > viewer). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** Roles that may change data; viewers only read. */
export function canWrite(role: Role): boolean {
  return role !== 'viewer';
}

/** Throws FORBIDDEN unless `role` is one of `allowed`. */
export function requireRole(role: Role, allowed: readonly Role[]): void {
  if (!allowed.includes(role)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `This needs the role ${allowed.join(' or ')}; you are ${role}`,
    });
  }
}
