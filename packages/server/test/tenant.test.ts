import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { startTestServer, type TestServer } from './support/server.ts';
import { addMember, call, createTenant, ok, registerUser, uniqueSuffix } from './support/trpc.ts';

interface Member {
  userId: string;
  email: string;
  role: string;
}

for (const backend of testBackends()) {
  describe(`organizations and roles (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(() => server?.close());

    it('creates an organization with the caller as owner, selects it, and lists it with the role', async () => {
      const owner = await registerUser(server.url);
      const slug = `acme-${uniqueSuffix()}`;
      const created = await call<{ id: string; name: string; slug: string; role: string }>(
        server.url,
        'tenant.create',
        { name: 'Acme Traders', slug: slug.toUpperCase() },
        { token: owner.token },
      );
      expect(created.status).toBe(200);
      expect(created.data).toMatchObject({ name: 'Acme Traders', slug, role: 'owner' });

      const list = await ok<{ id: string; role: string }[]>(server.url, 'tenant.list', undefined, {
        token: owner.token,
      });
      expect(list).toEqual([expect.objectContaining({ id: created.data.id, slug, role: 'owner' })]);

      const me = await ok<{ selectedOrganization: { id: string; role: string } | null }>(
        server.url,
        'auth.me',
        undefined,
        { token: owner.token },
      );
      expect(me.selectedOrganization).toMatchObject({ id: created.data.id, role: 'owner' });
    });

    it('refuses a taken slug with a clear 409, and a malformed slug with a 400 naming the field', async () => {
      const a = await registerUser(server.url);
      const b = await registerUser(server.url);
      const slug = `taken-${uniqueSuffix()}`;
      await createTenant(server.url, a.token, { slug });
      const taken = await call(server.url, 'tenant.create', { name: 'Other', slug }, { token: b.token });
      expect(taken.status).toBe(409);
      expect(taken.error?.message).toBe(`The slug "${slug}" is already taken; choose another`);

      for (const bad of [
        'has space',
        'under_score',
        '-edge',
        'x',
        'a--b',
        '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      ]) {
        const result = await call(
          server.url,
          'tenant.create',
          { name: 'Bad', slug: bad },
          { token: b.token },
        );
        expect(result.status, bad).toBe(400);
        expect(result.error?.message, bad).toMatch(/^slug: /);
      }
      // Nothing was created by the refused attempts.
      expect(await ok(server.url, 'tenant.list', undefined, { token: b.token })).toEqual([]);
    });

    it('selects an organization by slug, then tenant procedures use it without a header', async () => {
      const user = await registerUser(server.url);
      const first = await createTenant(server.url, user.token);
      const second = await createTenant(server.url, user.token);
      const selected = await ok<{ id: string }>(
        server.url,
        'tenant.select',
        { tenantId: first.slug },
        { token: user.token },
      );
      expect(selected.id).toBe(first.id);
      const me = await ok<{ selectedOrganization: { id: string } }>(server.url, 'auth.me', undefined, {
        token: user.token,
      });
      expect(me.selectedOrganization.id).toBe(first.id);
      await ok(server.url, 'tenant.select', { tenantId: second.id }, { token: user.token });
      const after = await ok<{ selectedOrganization: { id: string } }>(server.url, 'auth.me', undefined, {
        token: user.token,
      });
      expect(after.selectedOrganization.id).toBe(second.id);
    });

    describe('role matrix', () => {
      let owner: Awaited<ReturnType<typeof registerUser>>;
      let admin: Awaited<ReturnType<typeof registerUser>>;
      let member: Awaited<ReturnType<typeof registerUser>>;
      let viewer: Awaited<ReturnType<typeof registerUser>>;
      let outsider: Awaited<ReturnType<typeof registerUser>>;
      let org: { id: string; slug: string };

      beforeAll(async () => {
        [owner, admin, member, viewer, outsider] = await Promise.all([
          registerUser(server.url),
          registerUser(server.url),
          registerUser(server.url),
          registerUser(server.url),
          registerUser(server.url),
        ]);
        org = await createTenant(server.url, owner.token);
        await addMember(server.url, owner.token, org.id, admin, 'admin');
        await addMember(server.url, owner.token, org.id, member, 'member');
        await addMember(server.url, owner.token, org.id, viewer, 'viewer');
      });

      const roleOf = async (userId: string) => {
        const members = await ok<Member[]>(
          server.url,
          'tenant.members',
          { tenantId: org.id },
          {
            token: owner.token,
          },
        );
        return members.find((m) => m.userId === userId)?.role;
      };

      it('viewers and members cannot add or change members', async () => {
        for (const caller of [viewer, member]) {
          const add = await call(
            server.url,
            'tenant.addMember',
            { tenantId: org.id, email: outsider.email, role: 'viewer' },
            { token: caller.token },
          );
          expect(add.status).toBe(403);
          const change = await call(
            server.url,
            'tenant.updateMemberRole',
            { tenantId: org.id, userId: viewer.id, role: 'admin' },
            { token: caller.token },
          );
          expect(change.status).toBe(403);
          const remove = await call(
            server.url,
            'tenant.removeMember',
            { tenantId: org.id, userId: admin.id },
            { token: caller.token },
          );
          expect(remove.status).toBe(403);
        }
        expect(await roleOf(viewer.id)).toBe('viewer');
        expect(await roleOf(admin.id)).toBe('admin');
      });

      it('admins manage non-owners but cannot make, unmake or remove owners', async () => {
        const promote = await call(
          server.url,
          'tenant.updateMemberRole',
          { tenantId: org.id, userId: member.id, role: 'owner' },
          { token: admin.token },
        );
        expect(promote.status).toBe(403);
        const demote = await call(
          server.url,
          'tenant.updateMemberRole',
          { tenantId: org.id, userId: owner.id, role: 'member' },
          { token: admin.token },
        );
        expect(demote.status).toBe(403);
        const removeOwner = await call(
          server.url,
          'tenant.removeMember',
          { tenantId: org.id, userId: owner.id },
          { token: admin.token },
        );
        expect(removeOwner.status).toBe(403);
        const addOwner = await call(
          server.url,
          'tenant.addMember',
          { tenantId: org.id, email: outsider.email, role: 'owner' },
          { token: admin.token },
        );
        expect(addOwner.status).toBe(403);
        expect(await roleOf(owner.id)).toBe('owner');
        expect(await roleOf(member.id)).toBe('member');
        expect(await roleOf(outsider.id)).toBeUndefined();

        const ok1 = await call(
          server.url,
          'tenant.updateMemberRole',
          { tenantId: org.id, userId: member.id, role: 'viewer' },
          { token: admin.token },
        );
        expect(ok1.status).toBe(200);
        expect(await roleOf(member.id)).toBe('viewer');
        await ok(
          server.url,
          'tenant.updateMemberRole',
          { tenantId: org.id, userId: member.id, role: 'member' },
          { token: admin.token },
        );
        expect(await roleOf(member.id)).toBe('member');
      });

      it('the last owner can neither be demoted nor leave; with a second owner both work', async () => {
        const demoteSelf = await call(
          server.url,
          'tenant.updateMemberRole',
          { tenantId: org.id, userId: owner.id, role: 'admin' },
          { token: owner.token },
        );
        expect(demoteSelf.status).toBe(412);
        expect(demoteSelf.error?.message).toMatch(/at least one owner/);
        const leave = await call(
          server.url,
          'tenant.removeMember',
          { tenantId: org.id, userId: owner.id },
          { token: owner.token },
        );
        expect(leave.status).toBe(412);
        expect(await roleOf(owner.id)).toBe('owner');

        // Only an owner makes another owner; then the first may step down.
        await ok(
          server.url,
          'tenant.updateMemberRole',
          { tenantId: org.id, userId: admin.id, role: 'owner' },
          { token: owner.token },
        );
        await ok(
          server.url,
          'tenant.updateMemberRole',
          { tenantId: org.id, userId: owner.id, role: 'admin' },
          { token: owner.token },
        );
        expect(await roleOf(owner.id)).toBe('admin');
        // Now `admin` is the only owner and cannot leave either.
        const lastLeaves = await call(
          server.url,
          'tenant.removeMember',
          { tenantId: org.id, userId: admin.id },
          { token: admin.token },
        );
        expect(lastLeaves.status).toBe(412);
        // Restore the original arrangement for the other tests.
        await ok(
          server.url,
          'tenant.updateMemberRole',
          { tenantId: org.id, userId: owner.id, role: 'owner' },
          { token: admin.token },
        );
        await ok(
          server.url,
          'tenant.updateMemberRole',
          { tenantId: org.id, userId: admin.id, role: 'admin' },
          { token: owner.token },
        );
        expect(await roleOf(admin.id)).toBe('admin');
      });

      it('two owners demoting each other at once leave exactly one owner', async () => {
        const second = await registerUser(server.url);
        const team = await createTenant(server.url, owner.token);
        await addMember(server.url, owner.token, team.id, second, 'owner');
        const results = await Promise.all([
          call(
            server.url,
            'tenant.updateMemberRole',
            { tenantId: team.id, userId: second.id, role: 'member' },
            {
              token: owner.token,
            },
          ),
          call(
            server.url,
            'tenant.updateMemberRole',
            { tenantId: team.id, userId: owner.id, role: 'member' },
            {
              token: second.token,
            },
          ),
        ]);
        const members = await ok<Member[]>(
          server.url,
          'tenant.members',
          { tenantId: team.id },
          {
            token: owner.token,
          },
        );
        expect(members.filter((m) => m.role === 'owner')).toHaveLength(1);
        expect(results.filter((r) => r.status === 200)).toHaveLength(1);
        expect(results.filter((r) => r.status !== 200).map((r) => r.status)[0]).toBeOneOf([403, 412]);
      });

      it('a member may leave on their own; a removed member loses access at once', async () => {
        const leaver = await registerUser(server.url);
        await addMember(server.url, owner.token, org.id, leaver, 'viewer');
        const left = await call(
          server.url,
          'tenant.removeMember',
          { tenantId: org.id, userId: leaver.id },
          {
            token: leaver.token,
          },
        );
        expect(left.status).toBe(200);
        const members = await call(
          server.url,
          'tenant.members',
          { tenantId: org.id },
          { token: leaver.token },
        );
        expect(members.status).toBe(403);

        const removed = await registerUser(server.url);
        await addMember(server.url, owner.token, org.id, removed, 'member');
        await ok(
          server.url,
          'tenant.removeMember',
          { tenantId: org.id, userId: removed.id },
          { token: admin.token },
        );
        expect(
          (await call(server.url, 'tenant.members', { tenantId: org.id }, { token: removed.token })).status,
        ).toBe(403);
      });
    });
  });
}
