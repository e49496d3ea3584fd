import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupTokens, tenantMembers, tenants, users } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { checkOwner, OWNERS_ONLY_MESSAGE } from '../src/backup/ownership.ts';
import { LinkSigner } from '../src/backup/signing.ts';
import { consumeBackupToken, issueBackupToken, TOKEN_TTL_MS } from '../src/backup/token-store.ts';

// The records behind single-use links and the owner check, straight on the database: which row a
// link consumes, why a refused one is refused, and which memberships count as owning.

const signer = new LinkSigner('a-secret-that-is-long-enough-for-the-tests-0123456789');

for (const backend of testBackends()) {
  describe(`link records and owner checks (${backend.kind})`, () => {
    let database: TestDatabase;
    let userId: string;
    let tenantId: string;
    let otherTenantId: string;

    async function newTenant(status: 'active' | 'suspended' | 'deleted' = 'active'): Promise<string> {
      const slug = `t-${randomBytes(4).toString('hex')}`;
      const [row] = await database.db
        .insert(tenants)
        .values({ name: slug, slug, status })
        .returning({ id: tenants.id });
      return row!.id;
    }
    async function join(tenant: string, role: 'owner' | 'admin' | 'member' | 'viewer'): Promise<void> {
      await database.db.insert(tenantMembers).values({ tenantId: tenant, userId, role });
    }
    const claimsOf = (token: string) => {
      const verified = signer.verify('export', token);
      if (!verified.ok) throw new Error('token refused');
      return verified.claims;
    };

    beforeAll(async () => {
      database = await backend.create();
      const [user] = await database.db
        .insert(users)
        .values({ email: `u-${randomBytes(4).toString('hex')}@example.com`, name: 'U', passwordHash: 'x' })
        .returning({ id: users.id });
      userId = user!.id;
      tenantId = await newTenant();
      otherTenantId = await newTenant();
      await join(tenantId, 'owner');
    });
    afterAll(() => database?.close());

    it('issues a link valid for its purpose’s lifetime, recorded for its organization and user', async () => {
      const now = Date.now();
      const link = await issueBackupToken(database.db, signer, { purpose: 'export', tenantId, userId }, now);
      const claims = claimsOf(link.token);
      expect(claims).toMatchObject({ tenantId, userId, expiresAt: now + TOKEN_TTL_MS.export });
      expect(link.expiresAt).toBe(new Date(now + TOKEN_TTL_MS.export).toISOString().replace('Z', '000Z'));
      const [row] = await database.db.select().from(backupTokens).where(eq(backupTokens.id, claims.id));
      expect(row).toMatchObject({ purpose: 'export', tenantId, userId, usedAt: null });
      expect(Date.parse(row!.expiresAt)).toBe(now + TOKEN_TTL_MS.export);
    });

    it('consumes a link once, and only for its own purpose and organization', async () => {
      const link = await issueBackupToken(database.db, signer, { purpose: 'export', tenantId, userId });
      const { id } = claimsOf(link.token);
      expect(await consumeBackupToken(database.db, { id, purpose: 'import', tenantId })).toEqual({
        ok: false,
        reason: 'unknown',
      });
      expect(
        await consumeBackupToken(database.db, { id, purpose: 'export', tenantId: otherTenantId }),
      ).toEqual({
        ok: false,
        reason: 'expired',
      });
      expect(await consumeBackupToken(database.db, { id, purpose: 'export', tenantId })).toEqual({
        ok: true,
        userId,
      });
      expect(await consumeBackupToken(database.db, { id, purpose: 'export', tenantId })).toEqual({
        ok: false,
        reason: 'used',
      });
    });

    it('refuses an expired record as expired, and an unknown id as unknown', async () => {
      const past = Date.now() - TOKEN_TTL_MS.import - 1000;
      const link = await issueBackupToken(database.db, signer, { purpose: 'import', tenantId, userId }, past);
      const verified = signer.verify('import', link.token, past);
      if (!verified.ok) throw new Error('token refused');
      const { claims } = verified;
      expect(await consumeBackupToken(database.db, { id: claims.id, purpose: 'import', tenantId })).toEqual({
        ok: false,
        reason: 'expired',
      });
      expect(
        await consumeBackupToken(database.db, {
          id: '0193a000-0000-7000-8000-00000000dead',
          purpose: 'import',
          tenantId,
        }),
      ).toEqual({ ok: false, reason: 'unknown' });
    });

    it('counts only an owner of an active organization as owning it', async () => {
      const owned = await checkOwner(database.db, userId, tenantId);
      expect(owned).toEqual({
        ok: true,
        tenant: { id: tenantId, slug: expect.any(String), name: expect.any(String) },
      });
      expect(await checkOwner(database.db, userId, otherTenantId)).toEqual({
        ok: false,
        reason: 'not_owner',
      });
      for (const role of ['admin', 'member', 'viewer'] as const) {
        const tenant = await newTenant();
        await join(tenant, role);
        expect(await checkOwner(database.db, userId, tenant), role).toEqual({
          ok: false,
          reason: 'not_owner',
        });
      }
      const suspended = await newTenant('suspended');
      await join(suspended, 'owner');
      expect(await checkOwner(database.db, userId, suspended)).toEqual({ ok: false, reason: 'not_active' });
      const deleted = await newTenant('deleted');
      await join(deleted, 'owner');
      expect(await checkOwner(database.db, userId, deleted)).toEqual({ ok: false, reason: 'not_found' });
      expect(await checkOwner(database.db, userId, '0193a000-0000-7000-8000-00000000beef')).toEqual({
        ok: false,
        reason: 'not_found',
      });
    });
  });
}

describe('link lifetimes and the owners-only words', () => {
  it('a download or stored-backup link lives 5 minutes, an upload link 15 (a file may need picking first)', () => {
    expect(TOKEN_TTL_MS).toEqual({ export: 300_000, import: 900_000, stored: 300_000 });
  });

  it('says who may back up or restore', () => {
    expect(OWNERS_ONLY_MESSAGE).toBe('Only owners of the organization can back it up or restore into it');
  });
});
