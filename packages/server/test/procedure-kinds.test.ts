import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenants } from '@hisaabo/db';
import { testBackends } from '@hisaabo/db/testing';
import { DomainError } from '@hisaabo/domain';
import {
  protectedProcedure,
  publicProcedure,
  router,
  tenantProcedure,
  tenantProcedureWithRole,
} from '../src/trpc.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import {
  addMember,
  call,
  type CallOptions,
  createTenant,
  ok,
  registerOwner,
  registerUser,
} from './support/trpc.ts';

// Procedures of each kind, served by the real app over HTTP, to pin down what each kind lets through.
const probeRouter = router({
  open: publicProcedure.query(({ ctx }) => ({ user: ctx.user?.id ?? null })),
  whoAmI: protectedProcedure.query(({ ctx }) => ({ user: ctx.user.id })),
  where: tenantProcedure.query(({ ctx }) => ({ tenantId: ctx.tenant.id, role: ctx.role })),
  touch: tenantProcedure.mutation(({ ctx }) => ({ tenantId: ctx.tenant.id })),
  manage: tenantProcedureWithRole('owner', 'admin').mutation(() => ({ ok: true })),
  refuse: protectedProcedure.query((): never => {
    throw new DomainError('CONFLICT', 'refused by a rule');
  }),
});

for (const backend of testBackends()) {
  describe(`procedure kinds (${backend.kind})`, () => {
    let app: TestServer;
    let probe: TestServer;
    beforeAll(async () => {
      app = await startTestServer(backend);
      probe = await startTestServer(backend, { router: probeRouter, database: app.database });
    });
    afterAll(async () => {
      await probe?.close();
      await app?.close();
    });

    const query = (path: string, options: CallOptions) =>
      call(probe.url, path, undefined, { ...options, method: 'GET' });
    const mutate = (path: string, options: CallOptions) =>
      call(probe.url, path, undefined, { ...options, method: 'POST' });

    it('public answers anyone; protected needs a user', async () => {
      const user = await registerUser(app.url);
      expect((await query('open', {})).data).toEqual({ user: null });
      expect((await query('open', { token: user.token })).data).toEqual({ user: user.id });
      expect((await query('whoAmI', {})).status).toBe(401);
      expect((await query('whoAmI', { token: user.token })).data).toEqual({ user: user.id });
    });

    it('tenant procedures take the header, else the selection, else ask for one', async () => {
      const user = await registerUser(app.url);
      expect((await query('where', { token: user.token })).status).toBe(400);
      const first = await createTenant(app.url, user.token);
      const second = await createTenant(app.url, user.token);
      // tenant.create selected the newest one.
      expect((await query('where', { token: user.token })).data).toEqual({
        tenantId: second.id,
        role: 'owner',
      });
      expect((await query('where', { token: user.token, tenantId: first.slug })).data).toEqual({
        tenantId: first.id,
        role: 'owner',
      });
      await ok(app.url, 'tenant.select', { tenantId: first.id }, { token: user.token });
      expect((await query('where', { token: user.token })).data).toEqual({
        tenantId: first.id,
        role: 'owner',
      });
    });

    it('viewers may read but every tenant mutation refuses them; role-gated ones refuse members too', async () => {
      const owner = await registerUser(app.url);
      const member = await registerUser(app.url);
      const viewer = await registerUser(app.url);
      const org = await createTenant(app.url, owner.token);
      await addMember(app.url, owner.token, org.id, member, 'member');
      await addMember(app.url, owner.token, org.id, viewer, 'viewer');
      const as = (token: string) => ({ token, tenantId: org.id });

      expect((await query('where', as(viewer.token))).data).toEqual({ tenantId: org.id, role: 'viewer' });
      const viewerTouch = await mutate('touch', as(viewer.token));
      expect(viewerTouch.status).toBe(403);
      expect(viewerTouch.error?.message).toMatch(/Viewers/);
      expect((await mutate('touch', as(member.token))).status).toBe(200);
      expect((await mutate('manage', as(member.token))).status).toBe(403);
      expect((await mutate('manage', as(owner.token))).status).toBe(200);
      // The same rule holds for the app's own tenant procedures.
      expect((await call(app.url, 'tenant.rename', { name: 'Renamed' }, as(viewer.token))).status).toBe(403);
      expect((await call(app.url, 'tenant.rename', { name: 'Renamed' }, as(member.token))).status).toBe(403);
      const renamed = await call<{ name: string }>(
        app.url,
        'tenant.rename',
        { name: 'Renamed' },
        as(owner.token),
      );
      expect(renamed.data.name).toBe('Renamed');
    });

    it('a rule refused in any procedure answers its code and message, not an internal error', async () => {
      const user = await registerUser(app.url);
      const refused = await query('refuse', { token: user.token });
      expect(refused.status).toBe(409);
      expect(refused.error?.message).toBe('refused by a rule');
    });

    it('a suspended organization is closed to its members', async () => {
      const { owner, org } = await registerOwner(app.url);
      await app.database.db.update(tenants).set({ status: 'suspended' }).where(eq(tenants.id, org.id));
      const result = await query('where', { token: owner.token, tenantId: org.id });
      expect(result.status).toBe(403);
      expect(result.error?.message).toMatch(/suspended/);
      await app.database.db.update(tenants).set({ status: 'deleted' }).where(eq(tenants.id, org.id));
      expect((await query('where', { token: owner.token, tenantId: org.id })).status).toBe(403);
      expect(await ok(app.url, 'tenant.list', undefined, { token: owner.token })).toEqual([]);
    });
  });
}
