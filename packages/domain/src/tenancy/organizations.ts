import { eq } from 'drizzle-orm';
import { isUniqueViolation, tenantMembers, tenants, type Db } from '@hisaabo/db';
import { DomainError } from '../errors.ts';
import type { TenantInfo } from './membership.ts';

const tenantColumns = { id: tenants.id, name: tenants.name, slug: tenants.slug, status: tenants.status };

/** A new organization with `ownerId` as its owner; CONFLICT when the slug is taken. */
export async function createOrganization(
  db: Db,
  input: { name: string; slug: string; ownerId: string },
): Promise<TenantInfo> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(tenants)
        .values({ name: input.name, slug: input.slug })
        .returning(tenantColumns);
      await tx.insert(tenantMembers).values({ tenantId: row!.id, userId: input.ownerId, role: 'owner' });
      return row!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('CONFLICT', `The slug "${input.slug}" is already taken; choose another`);
    }
    throw error;
  }
}

/** Renames the organization; its slug stays, since scripts and the CLI address it by slug. */
export async function renameOrganization(db: Db, tenantId: string, name: string): Promise<TenantInfo> {
  const [row] = await db
    .update(tenants)
    .set({ name })
    .where(eq(tenants.id, tenantId))
    .returning(tenantColumns);
  return row!;
}
