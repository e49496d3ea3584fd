import { unzipSync } from 'fflate';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoInstant, isoInstantOf } from '@hisaabo/db';
import { testBackends } from '@hisaabo/db/testing';
import { BACKUP_ENV } from './backup-support.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import {
  addMember,
  call,
  createBusiness,
  createTenant,
  registerOwner,
  registerUser,
  type TestTenant,
  type TestUser,
} from './support/trpc.ts';

// One form for every instant the API returns, the same as the backup archive's.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ANY_INSTANT = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}(?::?\d{2})?)?/g;

/** Every `…At` field of a JSON value, with its path. */
function instantFields(value: unknown, path = '$'): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => instantFields(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(key.endsWith('At') && item !== null ? [[`${path}.${key}`, item] as [string, unknown]] : []),
    ...instantFields(item, `${path}.${key}`),
  ]);
}

/** Checks that the named fields are present and that every instant anywhere in `body` is ISO-8601 UTC. */
function expectIsoInstants(body: unknown, required: string[]): void {
  const fields = instantFields(body);
  for (const name of required) {
    expect(
      fields.some(([path]) => path.endsWith(`.${name}`)),
      `${name} in ${JSON.stringify(body)}`,
    ).toBe(true);
  }
  for (const [path, value] of fields) expect(value, path).toMatch(ISO_INSTANT);
  // Instants outside `…At` fields (messages, nested JSON) too.
  for (const match of JSON.stringify(body).match(ANY_INSTANT) ?? []) expect(match).toMatch(ISO_INSTANT);
}

describe('isoInstant', () => {
  it('writes PostgreSQL text, JSON and JavaScript instants alike, shifting other offsets to UTC', () => {
    expect(isoInstant('2026-11-25 15:00:01.5+00')).toBe('2026-11-25T15:00:01.500000Z');
    expect(isoInstant('2026-11-25 15:00:01+00')).toBe('2026-11-25T15:00:01.000000Z');
    expect(isoInstant('2026-11-25T15:00:01.123456+00:00')).toBe('2026-11-25T15:00:01.123456Z');
    expect(isoInstant('2026-11-25T15:05:00.000Z')).toBe('2026-11-25T15:05:00.000000Z');
    expect(isoInstant('2026-11-25 20:30:01.000001+05:30')).toBe('2026-11-25T15:00:01.000001Z');
    expect(isoInstant('2026-11-24 23:59:30.25-15:00:31')).toBe('2026-11-25T15:00:01.250000Z');
    expect(isoInstant('0050-01-01 00:00:00+00')).toBe('0050-01-01T00:00:00.000000Z');
    expect(isoInstant('infinity')).toBe('infinity');
    expect(isoInstantOf(Date.UTC(2026, 10, 25, 15, 5))).toBe('2026-11-25T15:05:00.000000Z');
  });
});

for (const backend of testBackends()) {
  describe(`instants in API responses (${backend.kind})`, () => {
    let server: TestServer;
    let owner: TestUser;
    let org: TestTenant;
    let businessId: string;
    const scope = () => ({ token: owner.token, tenantId: org.id, businessId });

    beforeAll(async () => {
      server = await startTestServer(backend, { env: BACKUP_ENV });
      ({ owner, org } = await registerOwner(server.url));
      businessId = await createBusiness(server.url, 'Rao Traders', { token: owner.token, tenantId: org.id });
    });
    afterAll(() => server?.close());

    it('sessions: register and login answer an ISO expiry that still signs in and lies 30 days ahead', async () => {
      const email = `instants-${Date.now()}@example.com`;
      const registered = await call(server.url, 'auth.register', {
        email,
        name: 'Asha Rao',
        password: 'correct horse battery',
      });
      expect(registered.status).toBe(200);
      expectIsoInstants(registered.body, ['expiresAt']);

      const login = await call<{ sessionToken: string; expiresAt: string }>(server.url, 'auth.login', {
        email,
        password: 'correct horse battery',
      });
      expect(login.status).toBe(200);
      expectIsoInstants(login.body, ['expiresAt']);
      const ahead = new Date(login.data.expiresAt).getTime() - Date.now();
      expect(ahead).toBeGreaterThan(29 * 24 * 3600_000);
      expect(ahead).toBeLessThanOrEqual(30 * 24 * 3600_000);
      expect((await call(server.url, 'auth.me', undefined, { token: login.data.sessionToken })).status).toBe(
        200,
      );
    });

    it('organization data: business, members, API keys, bank accounts, with microseconds kept', async () => {
      await server.database.db.execute(
        sql`UPDATE businesses SET created_at = '2026-11-25 15:00:01.5+00', updated_at = '2026-11-25 15:00:01.123456+00'
            WHERE id = ${businessId}`,
      );
      const business = await call<{ createdAt: string; updatedAt: string }>(
        server.url,
        'business.get',
        undefined,
        scope(),
      );
      expectIsoInstants(business.body, ['createdAt', 'updatedAt']);
      expect(business.data).toMatchObject({
        createdAt: '2026-11-25T15:00:01.500000Z',
        updatedAt: '2026-11-25T15:00:01.123456Z',
      });
      expectIsoInstants(
        (await call(server.url, 'business.list', undefined, { token: owner.token, tenantId: org.id })).body,
        ['createdAt'],
      );

      const member = await registerUser(server.url);
      await addMember(server.url, owner.token, org.id, member, 'viewer');
      expectIsoInstants((await call(server.url, 'tenant.members', { tenantId: org.id }, scope())).body, [
        'joinedAt',
      ]);

      const key = await call<{ key: string }>(
        server.url,
        'apiKey.create',
        { tenantId: org.id, name: 'ci' },
        scope(),
      );
      expectIsoInstants(key.body, ['createdAt']);
      expect((await call(server.url, 'auth.me', undefined, { token: key.data.key })).status).toBe(200);
      expectIsoInstants((await call(server.url, 'apiKey.list', { tenantId: org.id }, scope())).body, [
        'createdAt',
        'lastUsedAt',
      ]);

      // The account list is raw SQL, without column decoders.
      await server.database.db.execute(
        sql`UPDATE bank_accounts SET archived_at = '2026-11-25 15:00:02.25+00' WHERE business_id = ${businessId}`,
      );
      const accounts = await call<{ archivedAt: string }[]>(
        server.url,
        'bankAccount.list',
        undefined,
        scope(),
      );
      expectIsoInstants(accounts.body, ['archivedAt']);
      expect(accounts.data[0]?.archivedAt).toBe('2026-11-25T15:00:02.250000Z');
    });

    it('backups: links, history, the export limit and the CSV files', async () => {
      const party = await call(
        server.url,
        'party.create',
        { type: 'customer', name: 'Plain Customer' },
        scope(),
      );
      expectIsoInstants(party.body, ['createdAt', 'updatedAt']);

      for (let n = 0; n < 2; n++) {
        const link = await call<{ url: string }>(
          server.url,
          'selfExport.request',
          { tenantId: org.id },
          scope(),
        );
        expect(link.status).toBe(200);
        expectIsoInstants(link.body, ['expiresAt']);
        const download = await fetch(`${server.url}${link.data.url}`);
        expect(download.status).toBe(200);
        await download.arrayBuffer();
      }
      const history = await call(server.url, 'backup.history', { tenantId: org.id }, scope());
      expectIsoInstants(history.body, ['startedAt', 'finishedAt', 'nextAllowedAt']);
      const limited = await call(server.url, 'selfExport.request', { tenantId: org.id }, scope());
      expect(limited.status).toBe(429);
      expect(limited.error?.message).toMatch(/possible at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\.$/);

      const empty = await createTenant(server.url, owner.token);
      const importLink = await call(
        server.url,
        'selfImport.request',
        { tenantId: empty.id },
        { token: owner.token },
      );
      expect(importLink.status).toBe(200);
      expectIsoInstants(importLink.body, ['expiresAt']);

      const csvLink = await call<{ url: string }>(server.url, 'business.exportCsv', undefined, scope());
      expectIsoInstants(csvLink.body, ['expiresAt']);
      const zip = await fetch(`${server.url}${csvLink.data.url}`);
      expect(zip.status).toBe(200);
      const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
      const partiesCsv = new TextDecoder().decode(files['parties.csv']);
      const [header = '', row = ''] = partiesCsv.split(/\r?\n/);
      const cells = row.split(',');
      for (const column of ['created_at', 'updated_at']) {
        const index = header.split(',').indexOf(column);
        expect(index, column).toBeGreaterThanOrEqual(0);
        expect(cells[index], column).toMatch(ISO_INSTANT);
      }
      for (const [name, data] of Object.entries(files)) {
        for (const match of new TextDecoder().decode(data).match(ANY_INSTANT) ?? []) {
          expect(match, name).toMatch(ISO_INSTANT);
        }
      }
    });
  });
}
