import { randomBytes } from 'node:crypto';
import { type Role, tenantMembers, tenants, users } from '@hisaabo/db';
import type { TestDatabase } from '@hisaabo/db/testing';
import { and, eq } from 'drizzle-orm';
import { createOrganization, DomainError } from '../../src/index.ts';

export const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer'];
/** How PostgreSQL's timestamps read once written out: microseconds, UTC. */
export const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

export const unique = () => randomBytes(4).toString('hex');

/** The DomainError code a promise rejects with; a rejection that is not a DomainError fails the test. */
export async function refusal(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.code;
  }
}

export function refusalOf(action: () => void): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.code;
  }
}

/** Users, organizations and memberships on the suite's database (made in its `beforeAll`). */
export function tenancyWorld(database: () => TestDatabase) {
  async function newUser(name = 'Asha', email = `${unique()}@example.test`) {
    const [row] = await database()
      .db.insert(users)
      .values({ email, name, passwordHash: 'x' })
      .returning({ id: users.id, email: users.email });
    return row!;
  }

  /** An organization and its owner. */
  async function newOrganization(name = 'Acme') {
    const owner = await newUser('Owner');
    const slug = `org-${unique()}`;
    const org = await createOrganization(database().db, { name, slug, ownerId: owner.id });
    return { org, owner };
  }

  async function join(tenantId: string, role: Role, name: string = role) {
    const user = await newUser(name);
    await database().db.insert(tenantMembers).values({ tenantId, userId: user.id, role });
    return user;
  }

  async function roleOf(tenantId: string, userId: string): Promise<Role | undefined> {
    const [row] = await database()
      .db.select({ role: tenantMembers.role })
      .from(tenantMembers)
      .where(and(eq(tenantMembers.tenantId, tenantId), eq(tenantMembers.userId, userId)));
    return row?.role;
  }

  const setStatus = (tenantId: string, status: 'active' | 'suspended' | 'deleted') =>
    database().db.update(tenants).set({ status }).where(eq(tenants.id, tenantId));

  return { newUser, newOrganization, join, roleOf, setStatus };
}
