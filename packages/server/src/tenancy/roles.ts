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
