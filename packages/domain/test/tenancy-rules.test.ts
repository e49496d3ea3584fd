import { tenantMembers, tenants, users } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canWrite,
  createOrganization,
  DomainError,
  findMembership,
  listMembers,
  listMemberships,
  looksLikeUuid,
  MANAGERS,
  rememberChosenOrganization,
  removeMember,
  renameOrganization,
  requireRole,
  startingOrganization,
} from '../src/index.ts';
import { INSTANT, ROLES, refusalOf, tenancyWorld, unique } from './support/tenancy.ts';

// The organization rules straight on the database, without a server: what roles may do, creating and
// renaming organizations, memberships, and where a session starts. Members and invitations have
// files of their own; the server suites (tenant, invitations, apikey) check the same rules through
// the HTTP routes.

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
    const { newUser, newOrganization, join, roleOf, setStatus } = tenancyWorld(() => database);

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
