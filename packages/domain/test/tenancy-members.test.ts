import { type Role, tenantMembers } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeMemberRole, removeMember } from '../src/index.ts';
import { refusal, tenancyWorld } from './support/tenancy.ts';

// Changing members' roles and removing members, straight on the database: who may do it to whom, and
// what keeps an organization owned.

for (const backend of testBackends()) {
  describe(`member changes on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());
    const { newUser, newOrganization, join, roleOf } = tenancyWorld(() => database);

    /** A member of `org` who also belongs to `other`, beside a bystander member of `org`. */
    async function memberOfTwo() {
      const { org, owner } = await newOrganization();
      const { org: other } = await newOrganization();
      const target = await join(org.id, 'member');
      const bystander = await join(org.id, 'member');
      await database.db
        .insert(tenantMembers)
        .values({ tenantId: other.id, userId: target.id, role: 'member' });
      return { org, owner, other, target, bystander };
    }

    describe('role changes', () => {
      it('lets owners and admins change roles, and refuses members, viewers and outsiders', async () => {
        const { org } = await newOrganization();
        const target = await join(org.id, 'member');
        const toViewer = (callerId: string) =>
          refusal(
            changeMemberRole(database.db, { tenantId: org.id, callerId, userId: target.id, role: 'viewer' }),
          );
        for (const role of ['member', 'viewer'] as const) {
          const caller = await join(org.id, role);
          expect([role, await toViewer(caller.id)]).toEqual([role, 'FORBIDDEN']);
        }
        expect(await roleOf(org.id, target.id)).toBe('member');
        const admin = await join(org.id, 'admin');
        expect(await toViewer(admin.id)).toBeNull();
        expect(await roleOf(org.id, target.id)).toBe('viewer');
        const outsider = await newUser();
        const attempt = changeMemberRole(database.db, {
          tenantId: org.id,
          callerId: outsider.id,
          userId: target.id,
          role: 'admin',
        });
        await expect(attempt).rejects.toMatchObject({
          code: 'FORBIDDEN',
          message: expect.stringMatching(/no longer a member/),
        });
        expect(await roleOf(org.id, target.id)).toBe('viewer');
      });

      it('changes only that member in that organization', async () => {
        const { org, owner, other, target, bystander } = await memberOfTwo();
        await changeMemberRole(database.db, {
          tenantId: org.id,
          callerId: owner.id,
          userId: target.id,
          role: 'admin',
        });
        expect(await roleOf(org.id, target.id)).toBe('admin');
        expect(await roleOf(org.id, bystander.id)).toBe('member');
        expect(await roleOf(other.id, target.id)).toBe('member');
      });

      it('refuses a change for someone who is not a member with NOT_FOUND', async () => {
        const { org, owner } = await newOrganization();
        const { org: other } = await newOrganization();
        const elsewhere = await join(other.id, 'member');
        const attempt = changeMemberRole(database.db, {
          tenantId: org.id,
          callerId: owner.id,
          userId: elsewhere.id,
          role: 'viewer',
        });
        expect(await refusal(attempt)).toBe('NOT_FOUND');
        expect(await roleOf(org.id, elsewhere.id)).toBeUndefined();
      });

      it('lets only owners make or unmake owners', async () => {
        const { org, owner } = await newOrganization();
        const admin = await join(org.id, 'admin');
        const member = await join(org.id, 'member');
        const change = (callerId: string, userId: string, role: Role) =>
          refusal(changeMemberRole(database.db, { tenantId: org.id, callerId, userId, role }));
        expect(await change(admin.id, member.id, 'owner')).toBe('FORBIDDEN');
        expect(await change(admin.id, owner.id, 'admin')).toBe('FORBIDDEN');
        expect(await change(admin.id, owner.id, 'owner')).toBe('FORBIDDEN');
        expect(await roleOf(org.id, owner.id)).toBe('owner');
        expect(await change(owner.id, member.id, 'owner')).toBeNull();
        expect(await roleOf(org.id, member.id)).toBe('owner');
        expect(await change(owner.id, member.id, 'admin')).toBeNull();
        expect(await roleOf(org.id, member.id)).toBe('admin');
      });

      it('keeps the last owner an owner, counting only the owners of that organization', async () => {
        const { org, owner } = await newOrganization();
        await join(org.id, 'admin');
        const { org: other } = await newOrganization();
        await database.db
          .insert(tenantMembers)
          .values({ tenantId: other.id, userId: owner.id, role: 'owner' });
        const demote = (userId: string) =>
          changeMemberRole(database.db, { tenantId: org.id, callerId: owner.id, userId, role: 'admin' });
        await expect(demote(owner.id)).rejects.toMatchObject({
          code: 'PRECONDITION_FAILED',
          message: 'An organization must keep at least one owner: make someone else an owner first',
        });
        expect(await roleOf(org.id, owner.id)).toBe('owner');
        // Staying an owner is no change of ownership.
        expect(
          await refusal(
            changeMemberRole(database.db, {
              tenantId: org.id,
              callerId: owner.id,
              userId: owner.id,
              role: 'owner',
            }),
          ),
        ).toBeNull();
        const second = await join(org.id, 'owner');
        await demote(owner.id);
        expect(await roleOf(org.id, owner.id)).toBe('admin');
        expect(
          await refusal(
            changeMemberRole(database.db, {
              tenantId: org.id,
              callerId: second.id,
              userId: second.id,
              role: 'member',
            }),
          ),
        ).toBe('PRECONDITION_FAILED');
      });

      it('lets only one of two owners demoting each other at once succeed', async () => {
        const { org, owner } = await newOrganization();
        const second = await join(org.id, 'owner');
        const outcomes = await Promise.all([
          refusal(
            changeMemberRole(database.db, {
              tenantId: org.id,
              callerId: owner.id,
              userId: second.id,
              role: 'admin',
            }),
          ),
          refusal(
            changeMemberRole(database.db, {
              tenantId: org.id,
              callerId: second.id,
              userId: owner.id,
              role: 'admin',
            }),
          ),
        ]);
        expect(outcomes.filter((o) => o === null)).toHaveLength(1);
        const owners = await database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(tenantMembers)
          .where(and(eq(tenantMembers.tenantId, org.id), eq(tenantMembers.role, 'owner')));
        expect(Number(owners[0]?.n)).toBe(1);
      });
    });

    describe('removals', () => {
      const remove = (tenantId: string, callerId: string, userId: string) =>
        refusal(removeMember(database.db, { tenantId, callerId, userId }));

      it('lets any member leave, and owners and admins remove others', async () => {
        const { org } = await newOrganization();
        for (const role of ['admin', 'member', 'viewer'] as const) {
          const leaver = await join(org.id, role);
          expect(await remove(org.id, leaver.id, leaver.id)).toBeNull();
          expect(await roleOf(org.id, leaver.id)).toBeUndefined();
        }
        const target = await join(org.id, 'viewer');
        for (const role of ['member', 'viewer'] as const) {
          const caller = await join(org.id, role);
          expect([role, await remove(org.id, caller.id, target.id)]).toEqual([role, 'FORBIDDEN']);
        }
        expect(await roleOf(org.id, target.id)).toBe('viewer');
        const admin = await join(org.id, 'admin');
        expect(await remove(org.id, admin.id, target.id)).toBeNull();
        expect(await roleOf(org.id, target.id)).toBeUndefined();
      });

      it('refuses an outsider, even one naming themselves, with FORBIDDEN', async () => {
        const { org, owner } = await newOrganization();
        const outsider = await newUser();
        expect(await remove(org.id, outsider.id, outsider.id)).toBe('FORBIDDEN');
        expect(await remove(org.id, outsider.id, owner.id)).toBe('FORBIDDEN');
        expect(await roleOf(org.id, owner.id)).toBe('owner');
      });

      it('refuses to remove someone who is not a member with NOT_FOUND', async () => {
        const { org, owner } = await newOrganization();
        const stranger = await newUser();
        expect(await remove(org.id, owner.id, stranger.id)).toBe('NOT_FOUND');
      });

      it('removes only that membership', async () => {
        const { org, owner, other, target, bystander } = await memberOfTwo();
        expect(await remove(org.id, owner.id, target.id)).toBeNull();
        expect(await roleOf(org.id, target.id)).toBeUndefined();
        expect(await roleOf(org.id, bystander.id)).toBe('member');
        expect(await roleOf(other.id, target.id)).toBe('member');
      });

      it('lets only owners remove owners, and never the last one', async () => {
        const { org, owner } = await newOrganization();
        const admin = await join(org.id, 'admin');
        expect(await remove(org.id, admin.id, owner.id)).toBe('FORBIDDEN');
        expect(await remove(org.id, owner.id, owner.id)).toBe('PRECONDITION_FAILED');
        expect(await roleOf(org.id, owner.id)).toBe('owner');
        const second = await join(org.id, 'owner');
        expect(await remove(org.id, admin.id, second.id)).toBe('FORBIDDEN');
        expect(await remove(org.id, owner.id, second.id)).toBeNull();
        expect(await roleOf(org.id, second.id)).toBeUndefined();
        const third = await join(org.id, 'owner');
        expect(await remove(org.id, owner.id, owner.id)).toBeNull();
        expect(await roleOf(org.id, owner.id)).toBeUndefined();
        expect(await remove(org.id, third.id, third.id)).toBe('PRECONDITION_FAILED');
      });
    });
  });
}
