import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, tenantMembers, tenants, users } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { chooseOrganization, visibleOrganizations, withRole } from '../src/tenancy/session-organizations.ts';
import type { ProtectedContext } from '../src/trpc.ts';

// The organization a session works in, straight on the database: what choosing one records, and
// which organizations a session or an API key sees. (tenant.test.ts checks it through the routes.)

for (const backend of testBackends()) {
  describe(`session organizations (${backend.kind})`, () => {
    let database: TestDatabase;
    let userId: string;
    let otherUserId: string;
    const org: Record<'alpha' | 'beta', string> = { alpha: '', beta: '' };

    async function newUser(): Promise<string> {
      const [row] = await database.db
        .insert(users)
        .values({ email: `${randomBytes(4).toString('hex')}@example.test`, name: 'User', passwordHash: 'x' })
        .returning({ id: users.id });
      return row!.id;
    }
    async function newSession(owner: string): Promise<string> {
      const [row] = await database.db
        .insert(sessions)
        .values({
          userId: owner,
          tokenHash: randomBytes(8).toString('hex'),
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        })
        .returning({ id: sessions.id });
      return row!.id;
    }
    function context(credential: ProtectedContext['credential']): ProtectedContext {
      const caller: Pick<ProtectedContext, 'db' | 'user' | 'credential'> = {
        db: database.db,
        user: { id: userId } as ProtectedContext['user'],
        credential,
      };
      return caller as ProtectedContext;
    }
    const sessionContext = (sessionId = 's') =>
      context({ kind: 'session', via: 'bearer', sessionId, selectedTenantId: null });

    beforeAll(async () => {
      database = await backend.create();
      userId = await newUser();
      otherUserId = await newUser();
      for (const name of ['alpha', 'beta'] as const) {
        const [row] = await database.db
          .insert(tenants)
          .values({ name, slug: `${name}-${randomBytes(3).toString('hex')}` })
          .returning({ id: tenants.id });
        org[name] = row!.id;
      }
      await database.db.insert(tenantMembers).values([
        { tenantId: org.alpha, userId, role: 'admin' },
        { tenantId: org.beta, userId, role: 'viewer' },
        { tenantId: org.beta, userId: otherUserId, role: 'owner' },
      ]);
    });
    afterAll(() => database?.close());

    async function selected(sessionId: string) {
      const [row] = await database.db
        .select({ tenantId: sessions.selectedTenantId })
        .from(sessions)
        .where(eq(sessions.id, sessionId));
      return row?.tenantId;
    }
    async function lastChoice(id: string) {
      const [row] = await database.db
        .select({ tenantId: users.lastTenantId })
        .from(users)
        .where(eq(users.id, id));
      return row?.tenantId;
    }

    it('selects the organization for that session and remembers it for the user only', async () => {
      const sessionId = await newSession(userId);
      const otherSession = await newSession(userId);
      await chooseOrganization(sessionContext(sessionId), sessionId, org.beta);
      expect(await selected(sessionId)).toBe(org.beta);
      expect(await selected(otherSession)).toBeNull();
      expect(await lastChoice(userId)).toBe(org.beta);
      expect(await lastChoice(otherUserId)).toBeNull();
      await chooseOrganization(sessionContext(sessionId), sessionId, null);
      expect(await selected(sessionId)).toBeNull();
      expect(await lastChoice(userId)).toBeNull();
    });

    it('shows a session every organization of the user, an API key only its own', async () => {
      const rolesByName = async (ctx: ProtectedContext) =>
        (await visibleOrganizations(ctx)).map((m) => [m.tenant.name, m.role]);
      expect(await rolesByName(sessionContext())).toEqual([
        ['alpha', 'admin'],
        ['beta', 'viewer'],
      ]);
      expect(await rolesByName(context({ kind: 'apiKey', apiKeyId: 'k', tenantId: org.beta }))).toEqual([
        ['beta', 'viewer'],
      ]);
    });

    it('answers an organization with the caller role in it', async () => {
      const [membership] = await visibleOrganizations(sessionContext());
      expect(withRole(membership!)).toEqual({ ...membership!.tenant, role: 'admin' });
      expect(Object.keys(withRole(membership!)).sort()).toEqual(['id', 'name', 'role', 'slug', 'status']);
    });
  });
}
