import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { startTestServer, type TestServer } from './support/server.ts';
import { addMember, call, createTenant, ok, registerUser } from './support/trpc.ts';

interface CreatedKey {
  id: string;
  key: string;
  keyPrefix: string;
  tenantId: string;
  name: string;
}

for (const backend of testBackends()) {
  describe(`API keys (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(() => server?.close());

    it('a key is shown once, stored hashed, works as Bearer in its organization, and stops when revoked', async () => {
      const user = await registerUser(server.url);
      const org = await createTenant(server.url, user.token);
      const created = await ok<CreatedKey>(
        server.url,
        'apiKey.create',
        { tenantId: org.slug, name: 'backups' },
        {
          token: user.token,
        },
      );
      expect(created.key).toMatch(/^hsk_[\w-]{40,}$/);
      expect(created.key.startsWith(created.keyPrefix)).toBe(true);
      expect(created.tenantId).toBe(org.id);

      const { rows } = (await server.database.db.execute(
        `select key_hash from api_keys where id = '${created.id}'`,
      )) as unknown as { rows: { key_hash: string }[] };
      expect(rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0]!.key_hash).not.toContain(created.key);

      const listed = await ok<Record<string, unknown>[]>(
        server.url,
        'apiKey.list',
        { tenantId: org.id },
        {
          token: user.token,
        },
      );
      expect(listed).toHaveLength(1);
      expect(JSON.stringify(listed)).not.toContain(created.key);

      const me = await call<{
        user: { id: string };
        authenticatedWith: string;
        selectedOrganization: { id: string };
      }>(server.url, 'auth.me', undefined, { token: created.key });
      expect(me.status).toBe(200);
      expect(me.data.user.id).toBe(user.id);
      expect(me.data.authenticatedWith).toBe('apiKey');
      expect(me.data.selectedOrganization.id).toBe(org.id);
      // Without x-tenant-id, a tenant procedure acts on the key's organization.
      const current = await ok<{ id: string }>(server.url, 'tenant.current', undefined, {
        token: created.key,
      });
      expect(current.id).toBe(org.id);
      const members = await call(server.url, 'tenant.members', { tenantId: org.id }, { token: created.key });
      expect(members.status).toBe(200);

      const revoked = await call<{ revokedAt: string }>(
        server.url,
        'apiKey.revoke',
        { id: created.id },
        {
          token: user.token,
        },
      );
      expect(revoked.status).toBe(200);
      expect(revoked.data.revokedAt).toBeTruthy();
      const after = await call(server.url, 'auth.me', undefined, { token: created.key });
      expect(after.status).toBe(401);
      expect(after.error?.message).toMatch(/revoked/);
      expect(
        (await call(server.url, 'apiKey.revoke', { id: created.id }, { token: user.token })).status,
      ).toBe(404);
    });

    it('a key is bound to one organization of its user', async () => {
      const user = await registerUser(server.url);
      const home = await createTenant(server.url, user.token);
      const other = await createTenant(server.url, user.token);
      const { key } = await ok<CreatedKey>(
        server.url,
        'apiKey.create',
        { tenantId: home.id, name: 'ci' },
        {
          token: user.token,
        },
      );
      const list = await ok<{ id: string }[]>(server.url, 'tenant.list', undefined, { token: key });
      expect(list.map((t) => t.id)).toEqual([home.id]);
      for (const ref of [other.id, other.slug]) {
        expect(
          (await call(server.url, 'tenant.current', undefined, { token: key, tenantId: ref })).status,
        ).toBe(403);
        expect((await call(server.url, 'tenant.members', { tenantId: ref }, { token: key })).status).toBe(
          403,
        );
      }
      // Account-level actions need a signed-in session, not a key.
      expect(
        (await call(server.url, 'tenant.create', { name: 'X', slug: 'from-a-key' }, { token: key })).status,
      ).toBe(403);
      expect(
        (await call(server.url, 'apiKey.create', { tenantId: home.id, name: 'child' }, { token: key }))
          .status,
      ).toBe(403);
      expect((await call(server.url, 'tenant.select', { tenantId: home.id }, { token: key })).status).toBe(
        403,
      );
      expect((await call(server.url, 'auth.logout', undefined, { token: key })).status).toBe(400);
    });

    it("a key follows its user's membership: removing the user stops the key", async () => {
      const owner = await registerUser(server.url);
      const helper = await registerUser(server.url);
      const org = await createTenant(server.url, owner.token);
      await addMember(server.url, owner.token, org.id, helper, 'member');
      const { key } = await ok<CreatedKey>(
        server.url,
        'apiKey.create',
        { tenantId: org.id, name: 'h' },
        {
          token: helper.token,
        },
      );
      expect((await call(server.url, 'tenant.current', undefined, { token: key })).status).toBe(200);
      await ok(
        server.url,
        'tenant.removeMember',
        { tenantId: org.id, userId: helper.id },
        { token: owner.token },
      );
      expect((await call(server.url, 'tenant.current', undefined, { token: key })).status).toBe(403);
    });

    it("nobody can list or revoke another user's keys", async () => {
      const owner = await registerUser(server.url);
      const other = await registerUser(server.url);
      const org = await createTenant(server.url, owner.token);
      await addMember(server.url, owner.token, org.id, other, 'admin');
      const created = await ok<CreatedKey>(
        server.url,
        'apiKey.create',
        { tenantId: org.id, name: 'mine' },
        {
          token: owner.token,
        },
      );
      const theirs = await ok<unknown[]>(
        server.url,
        'apiKey.list',
        { tenantId: org.id },
        { token: other.token },
      );
      expect(theirs).toEqual([]);
      expect(
        (await call(server.url, 'apiKey.revoke', { id: created.id }, { token: other.token })).status,
      ).toBe(404);
      expect((await call(server.url, 'auth.me', undefined, { token: created.key })).status).toBe(200);
    });
  });
}
