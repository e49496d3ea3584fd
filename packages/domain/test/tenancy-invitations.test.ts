import { type Role, tenantInvitations, tenantMembers } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptInvitation,
  createOrganization,
  declineInvitation,
  inviteMember,
  listReceivedInvitations,
  listSentInvitations,
  withdrawInvitation,
} from '../src/index.ts';
import { INSTANT, refusal, tenancyWorld, unique } from './support/tenancy.ts';

// Invitations straight on the database: who may invite, send again and withdraw, and what accepting
// and declining do.

for (const backend of testBackends()) {
  describe(`invitations on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());
    const { newUser, newOrganization, join, roleOf, setStatus } = tenancyWorld(() => database);

    describe('invitations', () => {
      it('invites an address in lower case and shows who invited, newest first', async () => {
        const { org, owner } = await newOrganization();
        const admin = await join(org.id, 'admin', 'Admin');
        const first = await inviteMember(database.db, {
          tenantId: org.id,
          email: 'Ravi@Example.TEST',
          role: 'member',
          invitedBy: owner.id,
          inviterRole: 'owner',
        });
        expect(first).toEqual({
          email: 'ravi@example.test',
          role: 'member',
          invitedAt: expect.stringMatching(INSTANT),
          invitedBy: { name: 'Owner', email: owner.email },
        });
        const second = await inviteMember(database.db, {
          tenantId: org.id,
          email: 'sita@example.test',
          role: 'viewer',
          invitedBy: admin.id,
          inviterRole: 'admin',
        });
        expect(second.invitedBy).toEqual({ name: 'Admin', email: admin.email });
        const { org: other } = await newOrganization();
        await inviteMember(database.db, {
          tenantId: other.id,
          email: 'ravi@example.test',
          role: 'admin',
          invitedBy: owner.id,
          inviterRole: 'owner',
        });
        expect((await listSentInvitations(database.db, org.id)).map((i) => i.email)).toEqual([
          'sita@example.test',
          'ravi@example.test',
        ]);
      });

      it('lets only an owner invite an owner', async () => {
        const { org, owner } = await newOrganization();
        const invite = (inviterRole: Role) =>
          refusal(
            inviteMember(database.db, {
              tenantId: org.id,
              email: `${inviterRole}-pick@example.test`,
              role: 'owner',
              invitedBy: owner.id,
              inviterRole,
            }),
          );
        expect(await invite('admin')).toBe('FORBIDDEN');
        expect(await invite('owner')).toBeNull();
        expect((await listSentInvitations(database.db, org.id)).map((i) => [i.email, i.role])).toEqual([
          ['owner-pick@example.test', 'owner'],
        ]);
      });

      it('refuses to invite a member of the organization, in any case, with CONFLICT', async () => {
        const { org, owner } = await newOrganization();
        const member = await join(org.id, 'member');
        const { org: other } = await newOrganization();
        const invite = (tenantId: string) =>
          refusal(
            inviteMember(database.db, {
              tenantId,
              email: member.email.toUpperCase(),
              role: 'admin',
              invitedBy: owner.id,
              inviterRole: 'owner',
            }),
          );
        expect(await invite(org.id)).toBe('CONFLICT');
        await expect(
          inviteMember(database.db, {
            tenantId: org.id,
            email: member.email,
            role: 'viewer',
            invitedBy: owner.id,
            inviterRole: 'owner',
          }),
        ).rejects.toThrow(member.email);
        expect(await listSentInvitations(database.db, org.id)).toEqual([]);
        expect(await invite(other.id)).toBeNull();
      });

      it('renews a pending invitation with the new role and inviter', async () => {
        const { org, owner } = await newOrganization();
        const admin = await join(org.id, 'admin', 'Admin');
        const invite = (role: Role, invitedBy: string, inviterRole: Role) =>
          inviteMember(database.db, {
            tenantId: org.id,
            email: 'kiran@example.test',
            role,
            invitedBy,
            inviterRole,
          });
        const first = await invite('viewer', owner.id, 'owner');
        const renewed = await invite('member', admin.id, 'admin');
        expect(renewed).toMatchObject({ email: 'kiran@example.test', role: 'member' });
        expect(renewed.invitedBy?.email).toBe(admin.email);
        expect(renewed.invitedAt >= first.invitedAt).toBe(true);
        expect(await listSentInvitations(database.db, org.id)).toEqual([renewed]);
      });

      it('answers the invitation it made, not the newest one', async () => {
        const { org, owner } = await newOrganization();
        await database.db.insert(tenantInvitations).values({
          tenantId: org.id,
          email: 'later@example.test',
          role: 'admin',
          createdAt: sql`now() + interval '1 hour'`,
        });
        const sent = await inviteMember(database.db, {
          tenantId: org.id,
          email: 'now@example.test',
          role: 'viewer',
          invitedBy: owner.id,
          inviterRole: 'owner',
        });
        expect(sent).toMatchObject({ email: 'now@example.test', role: 'viewer' });
      });

      it('withdraws a pending invitation, one as owner only by an owner', async () => {
        const { org, owner } = await newOrganization();
        const { org: other } = await newOrganization();
        const invite = (tenantId: string, email: string, role: Role) =>
          inviteMember(database.db, { tenantId, email, role, invitedBy: owner.id, inviterRole: 'owner' });
        await invite(org.id, 'boss@example.test', 'owner');
        await invite(org.id, 'clerk@example.test', 'member');
        await invite(other.id, 'clerk@example.test', 'member');
        const withdraw = (email: string, callerRole: Role) =>
          refusal(withdrawInvitation(database.db, { tenantId: org.id, email, callerRole }));
        expect(await withdraw('nobody@example.test', 'owner')).toBe('NOT_FOUND');
        await expect(
          withdrawInvitation(database.db, {
            tenantId: org.id,
            email: 'nobody@example.test',
            callerRole: 'owner',
          }),
        ).rejects.toThrow('nobody@example.test');
        expect(await withdraw('Boss@Example.test', 'admin')).toBe('FORBIDDEN');
        expect(await withdraw('Clerk@Example.test', 'admin')).toBeNull();
        expect((await listSentInvitations(database.db, org.id)).map((i) => i.email)).toEqual([
          'boss@example.test',
        ]);
        expect((await listSentInvitations(database.db, other.id)).map((i) => i.email)).toEqual([
          'clerk@example.test',
        ]);
        expect(await withdraw('BOSS@example.test', 'owner')).toBeNull();
        expect(await listSentInvitations(database.db, org.id)).toEqual([]);
        expect(await withdraw('clerk@example.test', 'admin')).toBe('NOT_FOUND');
      });

      it("lists a user's invitations from active organizations, newest first, in any case", async () => {
        const email = `${unique()}@example.test`;
        const { org: older, owner } = await newOrganization('Older');
        const { org: newer } = await newOrganization('Newer');
        const { org: suspended } = await newOrganization('Suspended');
        for (const org of [older, newer, suspended]) {
          await inviteMember(database.db, {
            tenantId: org.id,
            email,
            role: 'viewer',
            invitedBy: owner.id,
            inviterRole: 'owner',
          });
        }
        await database.db
          .update(tenantInvitations)
          .set({ createdAt: sql`now() - interval '1 hour'` })
          .where(eq(tenantInvitations.tenantId, older.id));
        await setStatus(suspended.id, 'suspended');
        const received = await listReceivedInvitations(database.db, email.toUpperCase());
        const tenantOf = ({ id, slug, name }: { id: string; slug: string; name: string }) => ({
          id,
          slug,
          name,
        });
        expect(received.map((i) => i.tenant)).toEqual([tenantOf(newer), tenantOf(older)]);
        expect(received[0]).toMatchObject({
          role: 'viewer',
          invitedBy: { name: 'Owner', email: owner.email },
        });
        expect(received[0]?.invitedAt).toMatch(INSTANT);
      });

      describe('accepting and declining', () => {
        async function invited(role: Role = 'member') {
          const { org, owner } = await newOrganization();
          const invitee = await newUser('Invitee', `${unique()}@Example.test`);
          await inviteMember(database.db, {
            tenantId: org.id,
            email: invitee.email,
            role,
            invitedBy: owner.id,
            inviterRole: 'owner',
          });
          return { org, owner, invitee };
        }

        it('turns the invitation into a membership with the invited role, by slug', async () => {
          const { org, invitee } = await invited('admin');
          expect(await acceptInvitation(database.db, invitee, org.slug)).toEqual({
            tenant: org,
            role: 'admin',
          });
          expect(await roleOf(org.id, invitee.id)).toBe('admin');
          expect(await listSentInvitations(database.db, org.id)).toEqual([]);
          expect(await refusal(acceptInvitation(database.db, invitee, org.slug))).toBe('NOT_FOUND');
        });

        it('accepts by id in any case', async () => {
          const { org, invitee } = await invited('viewer');
          const accepted = await acceptInvitation(database.db, invitee, org.id.toUpperCase());
          expect(accepted).toEqual({ tenant: org, role: 'viewer' });
        });

        it('accepts by a slug that looks like an id', async () => {
          const owner = await newUser();
          const slug = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
          const org = await createOrganization(database.db, { name: 'Id-like', slug, ownerId: owner.id });
          const invitee = await newUser();
          await inviteMember(database.db, {
            tenantId: org.id,
            email: invitee.email,
            role: 'member',
            invitedBy: owner.id,
            inviterRole: 'owner',
          });
          expect(await acceptInvitation(database.db, invitee, slug)).toEqual({ tenant: org, role: 'member' });
        });

        it('refuses with NOT_FOUND without an invitation for that email, or an organization by that name', async () => {
          const { org, invitee } = await invited();
          const someoneElse = await newUser();
          expect(await refusal(acceptInvitation(database.db, someoneElse, org.slug))).toBe('NOT_FOUND');
          expect(await refusal(acceptInvitation(database.db, invitee, 'no-such-org'))).toBe('NOT_FOUND');
          expect(
            await refusal(acceptInvitation(database.db, invitee, '6ba7b810-0000-11d1-80b4-00c04fd430c8')),
          ).toBe('NOT_FOUND');
          expect(await roleOf(org.id, someoneElse.id)).toBeUndefined();
          expect(await listSentInvitations(database.db, org.id)).toHaveLength(1);
        });

        it('refuses with NOT_FOUND while the organization is not active, and keeps the invitation', async () => {
          const { org, invitee } = await invited();
          await setStatus(org.id, 'suspended');
          await expect(acceptInvitation(database.db, invitee, org.slug)).rejects.toMatchObject({
            code: 'NOT_FOUND',
            message: `You have no pending invitation to organization "${org.slug}"`,
          });
          expect(await roleOf(org.id, invitee.id)).toBeUndefined();
          expect(await listSentInvitations(database.db, org.id)).toHaveLength(1);
          await setStatus(org.id, 'active');
          expect(await acceptInvitation(database.db, invitee, org.slug)).toMatchObject({ role: 'member' });
        });

        it('keeps the membership as it is when the invitee already joined another way', async () => {
          const { org, invitee } = await invited('viewer');
          await database.db
            .insert(tenantMembers)
            .values({ tenantId: org.id, userId: invitee.id, role: 'admin' });
          expect(await acceptInvitation(database.db, invitee, org.slug)).toEqual({
            tenant: org,
            role: 'admin',
          });
          expect(await roleOf(org.id, invitee.id)).toBe('admin');
          expect(await listSentInvitations(database.db, org.id)).toEqual([]);
        });

        it('declines an invitation, once, and only for that organization', async () => {
          const { org, owner, invitee } = await invited();
          const { org: other } = await newOrganization();
          await inviteMember(database.db, {
            tenantId: other.id,
            email: invitee.email,
            role: 'member',
            invitedBy: owner.id,
            inviterRole: 'owner',
          });
          expect(await refusal(declineInvitation(database.db, invitee, org.slug))).toBeNull();
          expect(await listSentInvitations(database.db, org.id)).toEqual([]);
          expect(await listSentInvitations(database.db, other.id)).toHaveLength(1);
          expect(await roleOf(org.id, invitee.id)).toBeUndefined();
          expect(await refusal(declineInvitation(database.db, invitee, org.slug))).toBe('NOT_FOUND');
          expect(await refusal(declineInvitation(database.db, invitee, 'no-such-org'))).toBe('NOT_FOUND');
        });
      });
    });
  });
}
