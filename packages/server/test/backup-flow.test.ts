import { and, eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parties, queryRows } from '@hisaabo/db';
import { testBackends } from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import { readEntries, writeArchive } from '../../backup/test/support/archive.ts';
import { reindex, replaceBody } from '../../backup/test/support/reindex.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import {
  addMember,
  call,
  ok,
  registerOwner,
  registerUser,
  type TestTenant,
  type TestUser,
} from './support/trpc.ts';
import {
  BACKUP_ENV,
  FORMULA_PARTY,
  type BackupLink,
  exportArchive,
  getJson,
  requestExport,
  requestImport,
  seedBusiness,
  type SeededBusiness,
  upload,
} from './backup-support.ts';

interface HistoryEntry {
  kind: string;
  outcome: string;
  bytes: number | null;
  rows: Record<string, number> | null;
  user: { id: string } | null;
  error: string | null;
}

for (const backend of testBackends()) {
  describe(`backup and restore over the API (${backend.kind})`, () => {
    let server: TestServer;
    let owner: TestUser;
    let org: TestTenant;
    let seeded: SeededBusiness;
    const historyOf = (token: string, tenantId: string) =>
      ok<{ events: HistoryEntry[] }>(server.url, 'backup.history', { tenantId }, { token });
    const roles: Record<'admin' | 'member' | 'viewer', TestUser> = {} as never;

    beforeAll(async () => {
      server = await startTestServer(backend, { env: BACKUP_ENV });
      ({ owner, org } = await registerOwner(server.url));
      seeded = await seedBusiness(server.database.db, org.id);
      for (const role of ['admin', 'member', 'viewer'] as const) {
        roles[role] = await registerUser(server.url);
        await addMember(server.url, owner.token, org.id, roles[role], role);
      }
    });
    afterAll(() => server?.close());

    it('owner downloads through a signed link; another user restores it into a new organization', async () => {
      const requested = await requestExport(server.url, owner.token, org.id);
      expect(requested.status).toBe(200);
      const link = requested.data;
      expect(link.url).toBe(`/api/export/${org.id}?token=${link.token}`);
      const ttl = Date.parse(link.expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(4 * 60_000);
      expect(ttl).toBeLessThanOrEqual(5 * 60_000);

      const download = await fetch(`${server.url}${link.url}`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/gzip');
      const today = new Date().toISOString().slice(0, 10);
      expect(download.headers.get('content-disposition')).toBe(
        `attachment; filename="hisaabo-${org.slug}-${today}.tar.gz"`,
      );
      expect(download.headers.get('cache-control')).toBe('no-store');
      const archive = Buffer.from(await download.arrayBuffer());
      expect(archive.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

      // The same link never works twice.
      const again = await getJson(`${server.url}${link.url}`);
      expect(again).toEqual({ status: 401, body: { error: 'TOKEN_USED', message: expect.any(String) } });

      const { owner: other, org: target } = await registerOwner(server.url);
      const importLink = await requestImport(server.url, other.token, target.id);
      expect(importLink.status).toBe(200);
      expect(importLink.data.url).toBe(`/api/selfImport/${target.id}?token=${importLink.data.token}`);
      const ttlImport = Date.parse(importLink.data.expiresAt) - Date.now();
      expect(ttlImport).toBeGreaterThan(14 * 60_000);
      expect(ttlImport).toBeLessThanOrEqual(15 * 60_000);

      const restored = await upload(server.url, importLink.data.url, archive);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({
        ok: true,
        rowsInserted: {
          businesses: 1,
          parties: 2,
          items: 1,
          invoices: 1,
          invoice_items: 1,
          payments: 1,
          expenses: 1,
        },
        warnings: expect.any(Array),
        durationMs: expect.any(Number),
        source: { tenantId: org.id, slug: org.slug },
        compatibility: expect.any(Object),
      });

      // Same ids, now in the target organization; the source is untouched.
      const [party] = await server.database.db
        .select({ name: parties.name, openingBalance: parties.openingBalance })
        .from(parties)
        .where(and(eq(parties.tenantId, target.id), eq(parties.id, seeded.partyId)));
      expect(party).toEqual({ name: FORMULA_PARTY, openingBalance: '-12.50' });
      const [counts] = await queryRows<{ source: number; target: number }>(
        server.database.db,
        sql`SELECT count(*) FILTER (WHERE tenant_id = ${org.id})::int AS source,
                   count(*) FILTER (WHERE tenant_id = ${target.id})::int AS target FROM invoices`,
      );
      expect(counts).toEqual({ source: 1, target: 1 });

      // The restored business answers the normal API.
      const scope = { token: other.token, tenantId: target.id, businessId: seeded.businessId };
      const listed = await ok<{ parties: { id: string; name: string }[]; total: number }>(
        server.url,
        'party.list',
        {},
        scope,
      );
      expect(listed.total).toBe(2);
      expect(listed.parties.map((p) => p.id)).toContain(seeded.partyId);
      const invoice = await ok<{
        number: string;
        total: string;
        balance: string;
        lines: { description: string }[];
      }>(server.url, 'invoice.get', { id: seeded.invoiceId }, scope);
      expect(invoice).toMatchObject({ number: 'INV-00001', total: '236.00', balance: '236.00' });
      expect(invoice.lines.map((l) => l.description)).toEqual(['@SUM(A1:A2)']);
      const csv = await ok<{ url: string }>(server.url, 'business.exportCsv', undefined, {
        token: other.token,
        tenantId: target.id,
        businessId: seeded.businessId,
      });
      const zip = await fetch(`${server.url}${csv.url}`);
      expect(zip.status).toBe(200);
      const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
      expect(new TextDecoder().decode(files['invoices.csv'])).toContain('INV-00001');

      // Both sides are in the audit trail, with who, size and rows.
      const sourceHistory = await historyOf(owner.token, org.id);
      expect(sourceHistory.events[0]).toMatchObject({
        kind: 'export',
        outcome: 'succeeded',
        bytes: archive.length,
        rows: expect.objectContaining({ parties: 2, invoices: 1 }),
        user: expect.objectContaining({ id: owner.id }),
      });
      const targetHistory = await historyOf(other.token, target.id);
      expect(targetHistory.events[0]).toMatchObject({
        kind: 'restore',
        outcome: 'succeeded',
        bytes: archive.length,
        rows: expect.objectContaining({ parties: 2 }),
        user: expect.objectContaining({ id: other.id }),
      });

      // A second restore into the now non-empty organization is refused up front.
      const refused = await requestImport(server.url, other.token, target.id);
      expect(refused.status).toBe(412);
      expect(refused.error?.data.code).toBe('PRECONDITION_FAILED');
      expect(refused.error?.data.hisaaboCode).toBe('TARGET_NOT_EMPTY');
      expect(refused.error?.message).toMatch(/^The organization already has data/);
    });

    it('refuses admins, members, viewers and anonymous callers for export, import and history', async () => {
      for (const role of ['admin', 'member', 'viewer'] as const) {
        for (const path of ['selfExport.request', 'selfImport.request', 'backup.history']) {
          const result = await call(server.url, path, { tenantId: org.id }, { token: roles[role].token });
          expect(result.status, `${role} ${path}`).toBe(403);
          expect(result.error?.message, `${role} ${path}`).toMatch(/Only owners/);
        }
      }
      for (const path of ['selfExport.request', 'selfImport.request', 'backup.history']) {
        const result = await call(server.url, path, { tenantId: org.id });
        expect(result.status, path).toBe(401);
        expect(result.error?.data.code, path).toBe('UNAUTHORIZED');
      }
      // A stranger learns nothing either.
      const stranger = await registerUser(server.url);
      expect((await requestExport(server.url, stranger.token, org.id)).status).toBe(403);
    });

    it('refuses links without a token, with a forged one, for another organization, or for the other purpose', async () => {
      const missing = await getJson(`${server.url}/api/export/${org.id}`);
      expect(missing).toMatchObject({ status: 401, body: { error: 'TOKEN_MISSING' } });
      const forged = await getJson(`${server.url}/api/export/${org.id}?token=abc.def`);
      expect(forged).toMatchObject({ status: 401, body: { error: 'TOKEN_INVALID' } });

      const { owner: other, org: empty } = await registerOwner(server.url);
      const importLink = (await requestImport(server.url, other.token, empty.id)).data;
      // An upload link is no download link...
      const asExport = await getJson(`${server.url}/api/export/${empty.id}?token=${importLink.token}`);
      expect(asExport).toMatchObject({
        status: 401,
        body: { error: 'TOKEN_INVALID', message: 'Invalid token: not an export link issued by this server' },
      });
      // ...and a link for one organization does not open another.
      const mismatch = await upload(server.url, `/api/selfImport/${org.id}?token=${importLink.token}`, 'x');
      expect(mismatch).toMatchObject({ status: 401, body: { error: 'TOKEN_TENANT_MISMATCH' } });

      const exportLink = (await requestExport(server.url, owner.token, org.id)).data;
      const asImport = await upload(server.url, `/api/selfImport/${org.id}?token=${exportLink.token}`, 'x');
      expect(asImport).toMatchObject({ status: 401, body: { error: 'TOKEN_INVALID' } });
      const tampered = exportLink.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      expect((await getJson(`${server.url}/api/export/${org.id}?token=${tampered}`)).status).toBe(401);
    });

    it("refuses a former owner's unused links", async () => {
      const second = await registerUser(server.url);
      await addMember(server.url, owner.token, org.id, second, 'owner');
      const exportLink = (await requestExport(server.url, second.token, org.id)).data;

      const { owner: other, org: empty } = await registerOwner(server.url);
      await addMember(server.url, other.token, empty.id, second, 'owner');
      const importLink = (await requestImport(server.url, second.token, empty.id)).data;

      for (const tenantId of [org.id, empty.id]) {
        const owners = tenantId === org.id ? owner : other;
        await ok(
          server.url,
          'tenant.updateMemberRole',
          { tenantId, userId: second.id, role: 'admin' },
          {
            token: owners.token,
          },
        );
      }
      const download = await getJson(`${server.url}${exportLink.url}`);
      expect(download).toMatchObject({ status: 401, body: { error: 'NOT_OWNER' } });
      // Refused before the body is read, so any gzip-looking body will do.
      const restore = await upload(server.url, importLink.url, Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
      expect(restore).toMatchObject({ status: 401, body: { error: 'NOT_OWNER' } });
      expect(await tenantRowCount(server, empty.id)).toBe(0);
    });

    it('answers 409 at upload when the organization gained data after the link was issued', async () => {
      const { owner: user, org: target } = await registerOwner(server.url);
      const link = (await requestImport(server.url, user.token, target.id)).data;
      await seedBusiness(server.database.db, target.id);
      const result = await upload(server.url, link.url, Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
      expect(result).toEqual({
        status: 409,
        body: { error: 'TARGET_NOT_EMPTY', message: expect.any(String) },
      });
      // The spent link is in the history with the reason, so the owner can see why nothing happened.
      const history = await historyOf(user.token, target.id);
      expect(history.events).toEqual([
        expect.objectContaining({
          kind: 'restore',
          outcome: 'failed',
          error: result.body.message,
          bytes: null,
          user: expect.objectContaining({ id: user.id }),
        }),
      ]);
      expect(history.events[0]!.error).toMatch(/^The organization already has data \(in businesses, /);
    });

    it('records a refused archive in the history by where it is wrong, never by what a row holds', async () => {
      const { owner: user, org: target } = await registerOwner(server.url);
      const archive = await exportArchive(server.url, owner.token, org.id);
      const secret = 'acct-4111-1111-1111-1111';
      const entries = await readEntries(archive);
      const altered = replaceBody(entries, 'expenses.ndjson', (b) => b.replace('"55.55"', `"${secret}"`));
      const link = (await requestImport(server.url, user.token, target.id)).data;
      const refused = await upload(server.url, link.url, Buffer.from(await writeArchive(reindex(altered))));
      expect(refused.status).toBe(422);
      // The uploader is told everything...
      expect(JSON.stringify(refused.body)).toContain(secret);
      const history = await historyOf(user.token, target.id);
      // ...the history keeps the place only.
      expect(history.events).toEqual([
        expect.objectContaining({
          kind: 'restore',
          outcome: 'failed',
          error: 'INVALID_ARCHIVE: 1 problem in the archive; the first at expenses, line 1, column amount',
        }),
      ]);
    });

    it('checks the upload: 415 wrong type, 400 empty body, 403 cookie without the CSRF header, 422 bad archive', async () => {
      const { owner: user, org: target } = await registerOwner(server.url);
      let link: BackupLink = (await requestImport(server.url, user.token, target.id)).data;

      const wrongType = await upload(server.url, link.url, 'x', { 'content-type': 'text/plain' });
      expect(wrongType).toMatchObject({ status: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE' } });
      const empty = await upload(server.url, link.url, new Uint8Array(0));
      expect(empty).toMatchObject({ status: 400, body: { error: 'EMPTY_BODY' } });
      const csrf = await upload(server.url, link.url, 'x', {
        'content-type': 'application/gzip',
        cookie: user.cookie,
      });
      expect(csrf.status).toBe(403);

      // None of those spent the link; a broken archive does, and leaves the organization empty.
      const broken = await upload(server.url, link.url, Buffer.from('this is not gzip at all'), {
        'content-type': 'application/octet-stream',
        cookie: user.cookie,
        'x-requested-with': 'hisaabo',
      });
      expect(broken.status).toBe(422);
      expect(broken.body).toMatchObject({
        ok: false,
        errors: [expect.objectContaining({ message: expect.any(String) })],
      });
      expect(await tenantRowCount(server, target.id)).toBe(0);
      const reused = await upload(server.url, link.url, 'x');
      expect(reused).toMatchObject({ status: 401, body: { error: 'TOKEN_USED' } });

      link = (await requestImport(server.url, user.token, target.id)).data;
      const history = await historyOf(user.token, target.id);
      expect(history.events).toEqual([
        expect.objectContaining({
          kind: 'restore',
          outcome: 'failed',
          error: expect.stringMatching(/^INVALID_ARCHIVE: /),
        }),
      ]);
    });

    it('exports the current business as CSV for any member, with formulas neutralised', async () => {
      const viewer = roles.viewer;
      const result = await call<{ url: string; expiresAt: string; restorable: boolean }>(
        server.url,
        'business.exportCsv',
        undefined,
        { token: viewer.token, tenantId: org.id, businessId: seeded.businessId },
      );
      expect(result.status).toBe(200);
      expect(result.data.restorable).toBe(false);
      expect(result.data.url).toMatch(new RegExp(`^/api/csv/${seeded.businessId}\\?token=`));
      const response = await fetch(`${server.url}${result.data.url}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
      expect(response.headers.get('content-disposition')).toMatch(
        /^attachment; filename="hisaabo-sharma-sons-traders-csv-\d{4}-\d{2}-\d{2}\.zip"$/,
      );
      const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
      expect(Object.keys(files).sort()).toEqual(
        [
          'README.txt',
          'expenses.csv',
          'invoice_line_items.csv',
          'invoices.csv',
          'items.csv',
          'parties.csv',
          'payments.csv',
        ].sort(),
      );
      const partiesCsv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(files['parties.csv']);
      expect(partiesCsv.startsWith('\uFEFFid,type,name,')).toBe(true);
      expect(partiesCsv).toContain(`"'=HYPERLINK(""x"")"`);
      expect(partiesCsv).not.toMatch(/(^|,)=HYPERLINK/m);
      expect(partiesCsv).toContain('"Plain Supplier\nSecond line"');
      // A negative amount stays a number.
      expect(partiesCsv).toContain(',-12.50,');
      expect(partiesCsv.split('\r\n')).toHaveLength(4);
      const lines = new TextDecoder().decode(files['invoice_line_items.csv']);
      expect(lines).toContain(",'@SUM(A1:A2),");
      expect(new TextDecoder().decode(files['expenses.csv'])).toContain(",'+1 tea,");
      expect(new TextDecoder().decode(files['README.txt'])).toMatch(/NOT a backup/);

      // The link is bound to its business and to a live membership.
      const otherBusiness = result.data.url.replace(seeded.businessId, seeded.partyId);
      expect((await getJson(`${server.url}${otherBusiness}`)).status).toBe(401);
      const anonymous = await call(server.url, 'business.exportCsv', undefined, {
        tenantId: org.id,
        businessId: seeded.businessId,
      });
      expect(anonymous.status).toBe(401);
    });
  });
}

async function tenantRowCount(server: TestServer, tenantId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    server.database.db,
    sql`SELECT (SELECT count(*) FROM businesses WHERE tenant_id = ${tenantId})
             + (SELECT count(*) FROM parties WHERE tenant_id = ${tenantId})
             + (SELECT count(*) FROM invoices WHERE tenant_id = ${tenantId}) AS n`,
  );
  return Number(row!.n);
}
