import { randomBytes } from 'node:crypto';
import { type Role, tenantInvitations, tenantMembers, tenants, users } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptInvitation,
  canWrite,
  changeMemberRole,
  createOrganization,
  declineInvitation,
  DomainError,
  findMembership,
  inviteMember,
  listMembers,
  listMemberships,
  listReceivedInvitations,
  listSentInvitations,
  looksLikeUuid,
  MANAGERS,
  rememberChosenOrganization,
  removeMember,
  renameOrganization,
  requireRole,
  startingOrganization,
  withdrawInvitation,
} from '../src/index.ts';

// The organization rules straight on the database, without a server: who may do what to members and
// invitations, what keeps an organization owned, and where a session starts. The server suites
// (tenant, invitations, apikey) check the same rules through the HTTP routes.

const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer'];
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** The DomainError code a promise rejects with; a rejection that is not a DomainError fails the test. */
async function refusal(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.code;
  }
}

function refusalOf(action: () => void): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.code;
  }
}

const unique = () => randomBytes(4).toString('hex');

describe('roles', () => {
  it('lets every role but viewer write', () => {
    expect(ROLES.map((role) => [role, canWrite(role)])).toEqual([
      ['owner', true],
      ['admin', true],
      ['member', true],
      ['viewer', false],
    ]);
  });

  it('names owners and admins as the managers', () => {
    expect(MANAGERS).toEqual(['owner', 'admin']);
  });

  it('refuses with FORBIDDEN and names the roles needed and the role held', () => {
    expect(refusalOf(() => requireRole('admin', MANAGERS))).toBeNull();
    expect(refusalOf(() => requireRole('owner', ['owner']))).toBeNull();
    expect(refusalOf(() => requireRole('member', MANAGERS))).toBe('FORBIDDEN');
    expect(refusalOf(() => requireRole('admin', ['owner']))).toBe('FORBIDDEN');
    expect(() => requireRole('viewer', MANAGERS)).toThrow(
      'This needs the role owner or admin; you are viewer',
    );
  });

  it('recognizes a uuid in either case, and nothing around it', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(looksLikeUuid(id)).toBe(true);
    expect(looksLikeUuid(id.toUpperCase())).toBe(true);
    expect(looksLikeUuid(`x${id}`)).toBe(false);
    expect(looksLikeUuid(`${id}x`)).toBe(false);
    expect(looksLikeUuid('acme')).toBe(false);
  });
});

for (const backend of testBackends()) {
  describe(`tenancy rules on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    async function newUser(name = 'Asha', email = `${unique()}@example.test`) {
      const [row] = await database.db
        .insert(users)
        .values({ email, name, passwordHash: 'x' })
        .returning({ id: users.id, email: users.email });
      return row!;
    }

    /** An organization with an owner, and one member of each other role given. */
    async function newOrganization(name = 'Acme') {
      const owner = await newUser('Owner');
      const slug = `org-${unique()}`;
      const org = await createOrganization(database.db, { name, slug, ownerId: owner.id });
      return { org, owner };
    }

    async function join(tenantId: string, role: Role, name: string = role) {
      const user = await newUser(name);
      await database.db.insert(tenantMembers).values({ tenantId, userId: user.id, role });
      return user;
    }

    async function roleOf(tenantId: string, userId: string): Promise<Role | undefined> {
      const [row] = await database.db
        .select({ role: tenantMembers.role })
        .from(tenantMembers)
        .where(and(eq(tenantMembers.tenantId, tenantId), eq(tenantMembers.userId, userId)));
      return row?.role;
    }

    const setStatus = (tenantId: string, status: 'active' | 'suspended' | 'deleted') =>
      database.db.update(tenants).set({ status }).where(eq(tenants.id, tenantId));

    describe('organizations', () => {
      it('creates an active organization owned by its creator', async () => {
        const owner = await newUser();
        const slug = `new-${unique()}`;
        const org = await createOrganization(database.db, { name: 'New Co', slug, ownerId: owner.id });
        expect(org).toEqual({ id: expect.any(String), name: 'New Co', slug, status: 'active' });
        expect(await roleOf(org.id, owner.id)).toBe('owner');
      });

      it('refuses a taken slug with CONFLICT and leaves no second organization', async () => {
        const { org } = await newOrganization();
        const other = await newUser();
        const attempt = createOrganization(database.db, { name: 'Copy', slug: org.slug, ownerId: other.id });
        // The wording is the documented answer of the API (docs/api.md).
        await expect(attempt).rejects.toMatchObject({
          code: 'CONFLICT',
          message: `The slug "${org.slug}" is already taken; choose another`,
        });
        const rows = await database.db.select().from(tenants).where(eq(tenants.slug, org.slug));
        expect(rows.map((r) => r.name)).toEqual(['Acme']);
      });

      it('passes on other failures as they are, and creates nothing', async () => {
        const slug = `ghost-${unique()}`;
        const missingUser = '0f8fad5b-d9cb-469f-a165-70867728950e';
        const error = await createOrganization(database.db, {
          name: 'Ghost',
          slug,
          ownerId: missingUser,
        }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(DomainError);
        expect(await database.db.select().from(tenants).where(eq(tenants.slug, slug))).toEqual([]);
      });

      it('renames an organization and keeps its slug', async () => {
        const { org } = await newOrganization();
        const { org: untouched } = await newOrganization('Other');
        const renamed = await renameOrganization(database.db, org.id, 'Acme Traders');
        expect(renamed).toEqual({ id: org.id, name: 'Acme Traders', slug: org.slug, status: 'active' });
        const [other] = await database.db.select().from(tenants).where(eq(tenants.id, untouched.id));
        expect(other?.name).toBe('Other');
      });
    });

    describe('memberships', () => {
      it('finds a membership by id or slug, in any case', async () => {
        const { org, owner } = await newOrganization();
        const expected = { tenant: org, role: 'owner' };
        expect(await findMembership(database.db, owner.id, org.id)).toEqual(expected);
        expect(await findMembership(database.db, owner.id, org.id.toUpperCase())).toEqual(expected);
        expect(await findMembership(database.db, owner.id, org.slug)).toEqual(expected);
        expect(await findMembership(database.db, owner.id, org.slug.toUpperCase())).toEqual(expected);
      });

      it('finds an organization whose slug looks like an id by that slug', async () => {
        const owner = await newUser();
        const slug = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
        const org = await createOrganization(database.db, { name: 'Uuid Slug', slug, ownerId: owner.id });
        expect(await findMembership(database.db, owner.id, slug.toUpperCase())).toEqual({
          tenant: org,
          role: 'owner',
        });
      });

      it('does not tell a missing organization from one the user is not in, or a deleted one', async () => {
        const { org, owner } = await newOrganization();
        const stranger = await newUser();
        expect(await findMembership(database.db, stranger.id, org.id)).toBeUndefined();
        expect(await findMembership(database.db, owner.id, 'no-such-org')).toBeUndefined();
        await setStatus(org.id, 'suspended');
        expect((await findMembership(database.db, owner.id, org.slug))?.tenant.status).toBe('suspended');
        await setStatus(org.id, 'deleted');
        expect(await findMembership(database.db, owner.id, org.slug)).toBeUndefined();
      });

      it("lists the user's organizations by name then slug, with roles, without deleted ones", async () => {
        const user = await newUser();
        const b = await createOrganization(database.db, {
          name: 'Beta',
          slug: `b-${unique()}`,
          ownerId: user.id,
        });
        const { org: a1 } = await newOrganization('Alpha');
        const { org: a2 } = await newOrganization('Alpha');
        const { org: gone } = await newOrganization('Aardvark');
        const { org: suspended } = await newOrganization('Cobalt');
        await newOrganization('Not mine');
        for (const [org, role] of [
          [a1, 'viewer'],
          [a2, 'admin'],
          [gone, 'member'],
          [suspended, 'member'],
        ] as const) {
          await database.db.insert(tenantMembers).values({ tenantId: org.id, userId: user.id, role });
        }
        await setStatus(gone.id, 'deleted');
        await setStatus(suspended.id, 'suspended');
        const [first, second] = [a1, a2].sort((x, y) => x.slug.localeCompare(y.slug));
        const roleBySlug = new Map([
          [a1.slug, 'viewer'],
          [a2.slug, 'admin'],
        ]);
        expect(await listMemberships(database.db, user.id)).toEqual([
          { tenant: first, role: roleBySlug.get(first!.slug) },
          { tenant: second, role: roleBySlug.get(second!.slug) },
          { tenant: b, role: 'owner' },
          { tenant: { ...suspended, status: 'suspended' }, role: 'member' },
        ]);
      });

      it('lists the members of one organization by name then email', async () => {
        const { org, owner } = await newOrganization();
        const zed = await join(org.id, 'viewer', 'Zed');
        const [first, second] = [
          await newUser('Bina', 'b2@example.test'),
          await newUser('Bina', 'b1@example.test'),
        ];
        await database.db.insert(tenantMembers).values([
          { tenantId: org.id, userId: first!.id, role: 'member' },
          { tenantId: org.id, userId: second!.id, role: 'admin' },
        ]);
        const { org: other } = await newOrganization();
        await join(other.id, 'member', 'Aaron');
        const members = await listMembers(database.db, org.id);
        expect(members.map(({ email, name, role, userId }) => ({ email, name, role, userId }))).toEqual([
          { userId: second!.id, email: 'b1@example.test', name: 'Bina', role: 'admin' },
          { userId: first!.id, email: 'b2@example.test', name: 'Bina', role: 'member' },
          { userId: owner.id, email: owner.email, name: 'Owner', role: 'owner' },
          { userId: zed.id, email: zed.email, name: 'Zed', role: 'viewer' },
        ]);
        for (const member of members) expect(member.joinedAt).toMatch(INSTANT);
      });
    });

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
        const { org, owner } = await newOrganization();
        const { org: other } = await newOrganization();
        const target = await join(org.id, 'member');
        const bystander = await join(org.id, 'member');
        await database.db
          .insert(tenantMembers)
          .values({ tenantId: other.id, userId: target.id, role: 'member' });
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
        const { org, owner } = await newOrganization();
        const { org: other } = await newOrganization();
        const target = await join(org.id, 'member');
        const bystander = await join(org.id, 'member');
        await database.db
          .insert(tenantMembers)
          .values({ tenantId: other.id, userId: target.id, role: 'member' });
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

    describe('last choice', () => {
      it('starts where the user last chose while they belong there and it is active', async () => {
        const { org, owner } = await newOrganization();
        const { org: other } = await newOrganization();
        const member = await join(other.id, 'member');
        await database.db
          .insert(tenantMembers)
          .values({ tenantId: org.id, userId: member.id, role: 'member' });
        expect(await startingOrganization(database.db, member.id)).toBeNull();
        await rememberChosenOrganization(database.db, member.id, org.id);
        await rememberChosenOrganization(database.db, owner.id, other.id);
        expect(await startingOrganization(database.db, member.id)).toBe(org.id);
        await setStatus(org.id, 'suspended');
        expect(await startingOrganization(database.db, member.id)).toBeNull();
        await setStatus(org.id, 'active');
        await removeMember(database.db, { tenantId: org.id, callerId: member.id, userId: member.id });
        expect(await startingOrganization(database.db, member.id)).toBeNull();
        await rememberChosenOrganization(database.db, member.id, other.id);
        expect(await startingOrganization(database.db, member.id)).toBe(other.id);
        await rememberChosenOrganization(database.db, member.id, null);
        expect(await startingOrganization(database.db, member.id)).toBeNull();
        // The owner's choice stayed theirs: they are not a member of `other`.
        const [ownerRow] = await database.db
          .select({ last: users.lastTenantId })
          .from(users)
          .where(eq(users.id, owner.id));
        expect(ownerRow?.last).toBe(other.id);
        expect(await startingOrganization(database.db, owner.id)).toBeNull();
      });

      it('starts nowhere for an unknown user', async () => {
        expect(await startingOrganization(database.db, '0f8fad5b-d9cb-469f-a165-70867728950e')).toBeNull();
      });
    });
  });
}
