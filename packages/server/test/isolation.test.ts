import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businesses, queryRows, TENANT_TABLES } from '@hisaabo/db';
import { testBackends } from '@hisaabo/db/testing';
import { appRouter } from '../src/routers/index.ts';
import { businessProcedure, router } from '../src/trpc.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { call, createTenant, ok, registerUser, type TestTenant, type TestUser } from './support/trpc.ts';

// A probe served by a second instance of the real app, so the business procedure kind is exercised
// over HTTP exactly as the books routers use it.
const probeRouter = router({
  whichBusiness: businessProcedure.query(({ ctx }) => ({
    tenantId: ctx.tenant.id,
    businessId: ctx.businessId,
  })),
});

/** Every row of organization `tenantId`, in tenant tables and in the control tables that name it. */
async function fingerprint(server: TestServer, tenantId: string): Promise<Record<string, string>> {
  const tables = [
    ...TENANT_TABLES.map((t) => t.name),
    'tenants',
    'tenant_members',
    'api_keys',
    'backup_tokens',
    'backup_events',
  ];
  const out: Record<string, string> = {};
  for (const table of tables) {
    const column = table === 'tenants' ? 'id' : 'tenant_id';
    const [row] = await queryRows<{ digest: string | null; n: number | string }>(
      server.database.db,
      sql.raw(
        `select count(*) as n, md5(string_agg(t::text, ',' order by t::text)) as digest from ${table} t where ${column} = '${tenantId}'`,
      ),
    );
    out[table] = `${row?.n}:${row?.digest}`;
  }
  return out;
}

for (const backend of testBackends()) {
  describe(`isolation between organizations (${backend.kind})`, () => {
    let server: TestServer;
    let probe: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let orgA: TestTenant;
    let orgB: TestTenant;
    let businessA: string;
    let businessB: string;
    let bobKeyId: string;

    beforeAll(async () => {
      server = await startTestServer(backend);
      probe = await startTestServer(backend, { router: probeRouter, database: server.database });
      alice = await registerUser(server.url, { name: 'Alice' });
      bob = await registerUser(server.url, { name: 'Bob Bravo' });
      orgA = await createTenant(server.url, alice.token, { name: 'Alpha Stores' });
      orgB = await createTenant(server.url, bob.token, { name: 'Bravo Stores' });
      // Businesses are made directly here: the business procedures are another module's subject.
      const [a] = await server.database.db
        .insert(businesses)
        .values({ tenantId: orgA.id, name: 'Alpha Shop' })
        .returning({ id: businesses.id });
      const [b] = await server.database.db
        .insert(businesses)
        .values({ tenantId: orgB.id, name: 'Bravo Shop' })
        .returning({ id: businesses.id });
      businessA = a!.id;
      businessB = b!.id;
      const key = await ok<{ id: string }>(
        server.url,
        'apiKey.create',
        { tenantId: orgB.id, name: 'ci' },
        {
          token: bob.token,
        },
      );
      bobKeyId = key.id;
    });
    afterAll(async () => {
      await probe?.close();
      await server?.close();
    });

    it('x-tenant-id with another organization, by id or by slug, is refused; own works', async () => {
      for (const ref of [orgA.id, orgA.slug]) {
        const own = await call<{ id: string; role: string }>(server.url, 'tenant.current', undefined, {
          token: alice.token,
          tenantId: ref,
        });
        expect(own.status).toBe(200);
        expect(own.data).toMatchObject({ id: orgA.id, role: 'owner' });
      }
      for (const ref of [orgB.id, orgB.slug, orgB.id.toUpperCase()]) {
        const other = await call(server.url, 'tenant.current', undefined, {
          token: alice.token,
          tenantId: ref,
        });
        expect(other.status, ref).toBe(403);
        expect(JSON.stringify(other.body)).not.toContain('Bravo');
        const rename = await call(
          server.url,
          'tenant.rename',
          { name: 'Pwned' },
          {
            token: alice.token,
            tenantId: ref,
          },
        );
        expect(rename.status, ref).toBe(403);
      }
      // A missing organization answers exactly like someone else's, so existence cannot be probed.
      const missing = await call(server.url, 'tenant.current', undefined, {
        token: alice.token,
        tenantId: 'no-such-org',
      });
      expect(missing.status).toBe(403);
    });

    it("procedures that name an organization in their input refuse another's", async () => {
      const asAlice = { token: alice.token };
      const attempts: [string, unknown][] = [
        ['tenant.members', { tenantId: orgB.id }],
        ['tenant.members', { tenantId: orgB.slug }],
        ['tenant.select', { tenantId: orgB.slug }],
        ['tenant.addMember', { tenantId: orgB.id, email: alice.email, role: 'owner' }],
        ['tenant.updateMemberRole', { tenantId: orgB.id, userId: bob.id, role: 'viewer' }],
        ['tenant.removeMember', { tenantId: orgB.id, userId: bob.id }],
        ['tenant.removeMember', { tenantId: orgB.slug, userId: alice.id }],
        ['apiKey.create', { tenantId: orgB.id, name: 'sneaky' }],
        ['apiKey.list', { tenantId: orgB.slug }],
      ];
      for (const [path, input] of attempts) {
        const result = await call(server.url, path, input, asAlice);
        expect(result.status, path).toBe(403);
      }
      const revoke = await call(server.url, 'apiKey.revoke', { id: bobKeyId }, asAlice);
      expect(revoke.status).toBe(404);
      const bobKeys = await ok<{ id: string; revokedAt: string | null }[]>(
        server.url,
        'apiKey.list',
        { tenantId: orgB.id },
        { token: bob.token },
      );
      expect(bobKeys).toEqual([expect.objectContaining({ id: bobKeyId, revokedAt: null })]);
    });

    it("a business procedure accepts only a business of the caller's organization", async () => {
      const own = await call<{ businessId: string }>(probe.url, 'whichBusiness', undefined, {
        token: alice.token,
        tenantId: orgA.id,
        businessId: businessA,
        method: 'GET',
      });
      expect(own.status).toBe(200);
      expect(own.data.businessId).toBe(businessA);
      // B's business under A's organization: not found there.
      const crossed = await call(probe.url, 'whichBusiness', undefined, {
        token: alice.token,
        tenantId: orgA.id,
        businessId: businessB,
        method: 'GET',
      });
      expect(crossed.status).toBe(404);
      // B's business under B's organization: not a member.
      const direct = await call(probe.url, 'whichBusiness', undefined, {
        token: alice.token,
        tenantId: orgB.slug,
        businessId: businessB,
        method: 'GET',
      });
      expect(direct.status).toBe(403);
      const missingHeader = await call(probe.url, 'whichBusiness', undefined, {
        token: alice.token,
        tenantId: orgA.id,
        method: 'GET',
      });
      expect(missingHeader.status).toBe(400);
      expect(missingHeader.error?.message).toMatch(/x-business-id/);
    });

    it('no procedure of the app reveals or changes anything of another organization', async () => {
      const before = await fingerprint(server, orgB.id);
      // Ids a procedure may echo back from its input; what must never appear is B's own data.
      const secrets = ['Bravo', bob.email, bobKeyId];
      // Every field name a procedure might use to point at B's things, all pointing at B.
      const input = {
        tenantId: orgB.id,
        businessId: businessB,
        id: businessB,
        userId: bob.id,
        email: 'stranger@example.com',
        role: 'owner',
        name: 'Pwned',
        slug: orgB.slug,
      };
      // Signing out (here or everywhere) would end the session the rest of the sweep uses.
      const procedures = Object.keys(appRouter._def.procedures).filter(
        (path) => path !== 'auth.logout' && path !== 'auth.logoutEverywhere',
      );
      expect(procedures.length).toBeGreaterThan(10);
      const variants = [
        { tenantId: orgB.id, businessId: businessB },
        { tenantId: orgB.slug, businessId: businessB },
        { tenantId: orgA.id, businessId: businessB },
        {},
      ];
      for (const path of procedures) {
        const attempts = variants.flatMap((headers) =>
          [input, { tenantId: orgB.slug }].map((body) => ({ headers, body })),
        );
        const results = await Promise.all(
          attempts.map(({ headers, body }) =>
            call(server.url, path, body, { token: alice.token, ...headers }),
          ),
        );
        results.forEach((result, i) => {
          expect(result.status, `${path} ${JSON.stringify(attempts[i]!.headers)}`).toBeLessThan(500);
          if (result.status === 200) {
            const text = JSON.stringify(result.body);
            for (const secret of secrets) expect(text, `${path} leaked ${secret}`).not.toContain(secret);
          }
        });
      }
      expect(await fingerprint(server, orgB.id)).toEqual(before);
      // Alice is still only in her own organization.
      const list = await ok<{ id: string }[]>(server.url, 'tenant.list', undefined, { token: alice.token });
      expect(list.map((t) => t.id)).toEqual([orgA.id]);
    }, 300_000);
  });
}
