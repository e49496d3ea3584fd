import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import type { TestServer } from '../../../packages/server/test/support/server.ts';
import {
  addMember,
  call,
  createTenant,
  registerUser,
  type TestTenant,
  type TestUser,
  uniqueSuffix,
} from '../../../packages/server/test/support/trpc.ts';
import { verifyFile, writeCorruptCopy } from './support/archives.ts';
import { type BrowserSession, openSession } from './support/browser.ts';
import {
  nameOrganizationInBrowser,
  openDataTab,
  signInInBrowser,
  signInToDashboard,
  signUpInBrowser,
} from './support/flows.ts';
import { startOwnerWorld } from './support/ownerWorld.ts';
import { screenshot } from './support/screenshots.ts';

// The product page's export and restore steps, clicked in a real Chromium against the real server.
for (const backend of testBackends()) {
  describe(`backup and restore in the browser (${backend.kind})`, () => {
    let server: TestServer;
    let browser: Browser;
    let owner: TestUser;
    let organization: TestTenant;
    let ownerSession: BrowserSession;
    let downloaded: string;

    beforeAll(async () => {
      ({
        server,
        browser,
        owner,
        organization,
        session: ownerSession,
      } = await startOwnerWorld(backend, {
        ownerName: 'Asha Owner',
        organizationName: 'Sharma Traders',
        slugPrefix: 'sharma',
        invoices: 120,
        seed: 'web',
      }));
      await signInToDashboard(ownerSession.page, owner);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('Settings → Data → Download backup saves a .tar.gz that passes verify', async () => {
      const { page } = ownerSession;
      await openDataTab(page);
      await page.getByRole('heading', { name: 'Full backup (restorable)' }).waitFor();
      await page.getByText(/Limit: 2 exports per day\./).waitFor();

      const downloadEvent = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download backup' }).click();
      const download = await downloadEvent;
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^hisaabo-${organization.slug}-\\d{4}-\\d{2}-\\d{2}\\.tar\\.gz$`),
      );
      downloaded = join(ownerSession.downloads, download.suggestedFilename());
      await download.saveAs(downloaded);
      // Saved by the browser's download manager from the signed link itself, not from a blob: URL.
      expect(download.url()).toMatch(/\/api\/export\/[0-9a-f-]+\?token=/);
      await page.getByText('Your browser is saving the backup').waitFor();
      await page.getByRole('cell', { name: 'Backup downloaded' }).waitFor();
      await screenshot(page, 'settings-data');

      const report = await verifyFile(downloaded);
      expect(report.errors).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.tables.invoices?.rows).toBe(120);
    });

    it('restores into a new account: Get started → Restore from a backup → confirm → Reload shows the data', async () => {
      const session = await openSession(browser, server.url);
      const { page } = session;
      const user = {
        name: 'Ravi Restorer',
        email: `ravi-${uniqueSuffix()}@example.com`,
        password: 'restore me please',
      };
      await signUpInBrowser(page, user);
      await page.getByRole('heading', { name: 'Get started' }).waitFor();
      await page.waitForURL((url) => url.pathname === '/get-started');
      expect(new URL(page.url()).pathname).toBe('/get-started');

      await nameOrganizationInBrowser(page, 'Sharma Traders (restored)', `restored-${uniqueSuffix()}`);
      await page.getByRole('button', { name: /Create a new business/ }).waitFor();
      await screenshot(page, 'get-started');
      await page.getByRole('button', { name: /Restore from a backup/ }).click();
      await page.waitForURL((url) => url.pathname === '/restore');
      await page.getByRole('heading', { name: 'Restore from a backup' }).waitFor();
      await page
        .getByText('All data will be imported preserving original IDs. This action cannot be undone.')
        .first()
        .waitFor();

      // An age-encrypted file is recognised and explained, and cannot be sent.
      await page.getByLabel('Backup file (.tar.gz)').setInputFiles({
        name: 'backup.tar.gz.age',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from('age-encryption.org/v1\n-> X25519 abc\n'),
      });
      await page.getByText('This backup is encrypted.').waitFor();
      expect(await page.getByRole('button', { name: 'Restore from backup' }).isDisabled()).toBe(true);

      await page.getByLabel('Backup file (.tar.gz)').setInputFiles(downloaded);
      await page
        .getByText(/hisaabo-.*\.tar\.gz/)
        .first()
        .waitFor();
      await page.getByRole('button', { name: 'Restore from backup' }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm restore' });
      await dialog.getByText('Sharma Traders (restored)').waitFor();
      await dialog.getByRole('button', { name: 'Restore' }).click();

      const result = page.getByRole('region', { name: 'Restore complete' });
      await result.waitFor({ timeout: 60_000 });
      const report = await verifyFile(downloaded);
      // Every table's row count is on the card, and the source organization.
      for (const [table, { rows }] of Object.entries(report.tables)) {
        await expect(
          result.getByRole('row', { name: new RegExp(`^${table} ${rows.toLocaleString()}$`) }).count(),
        ).resolves.toBe(1);
      }
      await result.getByText(`Sharma Traders (${organization.slug})`).waitFor();
      await result.getByRole('heading', { name: 'Warnings' }).waitFor();
      await screenshot(page, 'restore-result');

      await page.getByRole('button', { name: 'Reload to see your data' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      const businessId = await page.evaluate(
        () => JSON.parse(localStorage.getItem('hisaabo.scope') ?? '{}').businessId as string,
      );
      const source = await call<{ receivables: string }>(server.url, 'dashboard.summary', undefined, {
        token: owner.token,
        tenantId: organization.id,
        businessId,
      });
      expect(source.status).toBe(200);
      const receivables = await page.locator('[data-stat="To receive"]').textContent();
      expect(receivables?.replace(/[^\d.-]/g, '')).toBe(source.data.receivables);

      // The restored invoices and parties are listed, with the original numbers and names.
      const sourceInvoices = await call<{ invoices: { number: string }[] }>(
        server.url,
        'invoice.list',
        { limit: 5, offset: 0 },
        { token: owner.token, tenantId: organization.id, businessId },
      );
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: 'Invoices' })
        .click();
      for (const invoice of sourceInvoices.data.invoices) {
        await page.getByRole('link', { name: invoice.number, exact: true }).waitFor();
      }
      const sourceParties = await call<{ parties: { name: string }[] }>(
        server.url,
        'party.list',
        { limit: 5, offset: 0 },
        { token: owner.token, tenantId: organization.id, businessId },
      );
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Parties' }).click();
      for (const party of sourceParties.data.parties) {
        await page.getByRole('link', { name: party.name, exact: true }).first().waitFor();
      }
      await session.context.close();
    });

    it('Get started refuses a taken slug in words, stays, and creates no organization', async () => {
      const user = await registerUser(server.url, { name: 'Sunil Second' });
      const session = await openSession(browser, server.url);
      const { page } = session;
      await signInInBrowser(page, user);
      await nameOrganizationInBrowser(page, 'Sharma Traders', organization.slug);
      await page.getByRole('button', { name: /Create a new business/ }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: `The slug "${organization.slug}" is already taken; choose another` })
        .waitFor();
      expect(new URL(page.url()).pathname).toBe('/get-started');
      expect(await page.getByLabel('Organization name').inputValue()).toBe('Sharma Traders');
      const organizations = await call<unknown[]>(server.url, 'tenant.list', undefined, {
        token: user.token,
      });
      expect(organizations.data).toEqual([]);
      await session.context.close();
    });

    it("a corrupt file shows the engine's error and leaves the organization empty", async () => {
      const corrupt = join(mkdtempSync(join(tmpdir(), 'hisaabo-corrupt-')), 'damaged.tar.gz');
      writeCorruptCopy(downloaded, corrupt);
      const expected = await verifyFile(corrupt);
      expect(expected.ok).toBe(false);
      const problem = expected.errors[0]!;

      const user = await registerUser(server.url, { name: 'Corrupt Tester' });
      const target = await createTenant(server.url, user.token, { name: 'Empty Target' });
      const session = await openSession(browser, server.url);
      const { page } = session;
      await signInInBrowser(page, user);
      // The organization exists, so Get started offers the two choices without naming one.
      await page.getByRole('heading', { name: 'Get started' }).waitFor();
      expect(await page.getByLabel('Organization name').count()).toBe(0);
      await page.getByRole('button', { name: /Restore from a backup/ }).click();
      await page.getByLabel('Backup file (.tar.gz)').setInputFiles(corrupt);
      await page.getByRole('button', { name: 'Restore from backup' }).click();
      await page
        .getByRole('dialog', { name: 'Confirm restore' })
        .getByRole('button', { name: 'Restore' })
        .click();

      const failure = page
        .getByRole('alert')
        .filter({ has: page.getByRole('heading', { name: 'The backup could not be restored' }) });
      await failure.waitFor({ timeout: 60_000 });
      const text = (await failure.textContent()) ?? '';
      expect(text).toContain(problem.message);
      if (problem.table) expect(text).toContain(problem.table);
      expect(text).toContain('Nothing was imported');
      expect(text).not.toMatch(/Server error \(422\)/);

      // Still empty: a restore can still be requested, which is refused for an organization with data.
      const again = await call(
        server.url,
        'selfImport.request',
        { tenantId: target.id },
        { token: user.token },
      );
      expect(again.status).toBe(200);
      await session.context.close();
    });

    it('a non-owner sees Export as CSV but no backup card', async () => {
      const admin = await registerUser(server.url, { name: 'Neha Admin' });
      await addMember(server.url, owner.token, organization.id, admin, 'admin');
      const session = await openSession(browser, server.url);
      const { page } = session;
      await signInToDashboard(page, admin);
      await openDataTab(page);
      await page.getByRole('heading', { name: 'Export as CSV' }).waitFor();
      expect(await page.getByRole('heading', { name: 'Full backup (restorable)' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Download backup' }).count()).toBe(0);
      const csv = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export as CSV' }).click();
      expect((await csv).suggestedFilename()).toMatch(/\.zip$/);
      await session.context.close();
    });

    it('Get started offers the restore to owners only: admins get the business form, members wait', async () => {
      const emptyOwner = await registerUser(server.url, { name: 'Empty Owner' });
      const empty = await createTenant(server.url, emptyOwner.token, { name: 'Not Yet Started' });
      const admin = await registerUser(server.url, { name: 'Anil Admin' });
      const member = await registerUser(server.url, { name: 'Mona Member' });
      await addMember(server.url, emptyOwner.token, empty.id, admin, 'admin');
      await addMember(server.url, emptyOwner.token, empty.id, member, 'member');

      const adminSession = await openSession(browser, server.url);
      await signInInBrowser(adminSession.page, admin);
      await adminSession.page.getByRole('heading', { name: 'Create a new business' }).waitFor();
      expect(await adminSession.page.getByText('Restore from a backup').count()).toBe(0);
      await adminSession.page.goto('/restore');
      await adminSession.page.getByRole('heading', { name: 'Create a new business' }).waitFor();
      expect(await adminSession.page.getByRole('heading', { name: 'Restore from a backup' }).count()).toBe(0);
      await adminSession.context.close();

      const memberSession = await openSession(browser, server.url);
      await signInInBrowser(memberSession.page, member);
      await memberSession.page
        .getByText(/An owner or admin of the organization needs to\s+create one/)
        .waitFor();
      expect(
        await memberSession.page
          .getByRole('button')
          .filter({ hasText: /business|backup/ })
          .count(),
      ).toBe(0);
      await memberSession.context.close();
    });

    it('the third export of the day shows the limit message with the next possible time', async () => {
      const { page } = ownerSession;
      await openDataTab(page);
      const second = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download backup' }).click();
      await second;
      await page.getByText(/Export limit reached: the next export is possible at/).waitFor();

      await page.getByRole('button', { name: 'Download backup' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Export limit reached' });
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/next export is possible at/);
    });
  });
}
