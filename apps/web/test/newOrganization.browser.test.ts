import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import type { TestServer } from '../../../packages/server/test/support/server.ts';
import {
  call,
  type TestTenant,
  type TestUser,
  uniqueSuffix,
} from '../../../packages/server/test/support/trpc.ts';
import { verifyFile } from './support/archives.ts';
import type { BrowserSession } from './support/browser.ts';
import { openDataTab, signInToDashboard } from './support/flows.ts';
import { startOwnerWorld } from './support/ownerWorld.ts';

// An owner already at work in one organization opens a second one from the switcher, first changing
// their mind (Back), then restoring the first organization's backup into the new one.
for (const backend of testBackends()) {
  describe(`a second organization from the switcher (${backend.kind})`, () => {
    let server: TestServer;
    let browser: Browser;
    let owner: TestUser;
    let first: TestTenant;
    let session: BrowserSession;

    beforeAll(async () => {
      ({
        server,
        browser,
        owner,
        organization: first,
        session,
      } = await startOwnerWorld(backend, {
        ownerName: 'Kiran Owner',
        organizationName: 'Kiran Textiles',
        slugPrefix: 'kiran',
        invoices: 30,
        seed: 'second-org',
      }));
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const organizations = async () =>
      (
        await call<{ id: string; name: string; slug: string }[]>(server.url, 'tenant.list', undefined, {
          token: owner.token,
        })
      ).data;
    const scope = () =>
      session.page.evaluate(
        () =>
          JSON.parse(localStorage.getItem('hisaabo.scope') ?? '{}') as {
            tenantId?: string;
            businessId?: string;
          },
      );
    const openNewOrganization = async () => {
      const { page } = session;
      await page.locator('.org-switcher').getByRole('link', { name: 'New organization' }).click();
      await page.waitForURL((url) => url.pathname === '/organizations/new');
      await page.getByRole('heading', { name: 'Get started' }).waitFor();
    };

    it('switcher → New organization → Back returns to the first organization, nothing created', async () => {
      const { page } = session;
      await signInToDashboard(page, owner);
      // Somewhere other than the dashboard, where Back must return to.
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: 'Invoices' })
        .click();
      await page.waitForURL((url) => url.pathname === '/invoices');
      const listed = await call<{ invoices: { number: string }[] }>(
        server.url,
        'invoice.list',
        { limit: 1, offset: 0 },
        { token: owner.token, tenantId: first.id, businessId: (await scope()).businessId },
      );
      const invoiceNumber = listed.data.invoices[0]?.number;
      expect(invoiceNumber).toBeDefined();
      await page.getByRole('link', { name: invoiceNumber, exact: true }).waitFor();

      await openNewOrganization();
      await page.getByLabel('Organization name').waitFor();
      await page.getByLabel('Short name (slug)').waitFor();
      await page.getByRole('button', { name: /Create a new business/ }).waitFor();
      await page.getByRole('button', { name: /Restore from a backup/ }).waitFor();

      await page.getByRole('link', { name: 'Back' }).click();
      await page.waitForURL((url) => url.pathname === '/invoices');
      await page.getByRole('link', { name: invoiceNumber ?? '', exact: true }).waitFor();
      expect((await scope()).tenantId).toBe(first.id);
      expect((await organizations()).map((org) => org.id)).toEqual([first.id]);
    });

    it('switcher → New organization → Restore from a backup fills the new organization and keeps the first', async () => {
      const { page } = session;
      await openDataTab(page);
      const downloadEvent = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download backup' }).click();
      const download = await downloadEvent;
      const archive = join(session.downloads, download.suggestedFilename());
      await download.saveAs(archive);
      const report = await verifyFile(archive);
      expect(report.ok).toBe(true);

      await openNewOrganization();
      const slug = `kiran-copy-${uniqueSuffix()}`;
      await page.getByLabel('Organization name').fill('Kiran Textiles (copy)');
      await page.getByLabel('Short name (slug)').fill(slug);
      await page.getByRole('button', { name: /Restore from a backup/ }).click();
      await page.waitForURL((url) => url.pathname === '/restore');
      await page.getByRole('heading', { name: 'Restore from a backup' }).waitFor();

      const created = (await organizations()).find((org) => org.slug === slug);
      expect(created).toBeDefined();
      const second = created!;
      expect((await scope()).tenantId).toBe(second.id);

      await page.getByLabel('Backup file (.tar.gz)').setInputFiles(archive);
      await page.getByRole('button', { name: 'Restore from backup' }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm restore' });
      await dialog.getByText('Kiran Textiles (copy)').waitFor();
      await dialog.getByRole('button', { name: 'Restore' }).click();
      const result = page.getByRole('region', { name: 'Restore complete' });
      await result.waitFor({ timeout: 60_000 });
      await result.getByText(`Kiran Textiles (${first.slug})`).waitFor();
      await result
        .getByRole('row', { name: new RegExp(`^invoices ${report.tables.invoices?.rows.toLocaleString()}$`) })
        .waitFor();

      await page.getByRole('button', { name: 'Reload to see your data' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      const { tenantId, businessId } = await scope();
      expect(tenantId).toBe(second.id);

      // The restored organization shows the same books as the first, which still has its own.
      const summary = (id: string) =>
        call<{ receivables: string }>(server.url, 'dashboard.summary', undefined, {
          token: owner.token,
          tenantId: id,
          businessId,
        });
      const source = await summary(first.id);
      const restored = await summary(second.id);
      expect(source.status).toBe(200);
      expect(restored.status).toBe(200);
      expect(restored.data.receivables).toBe(source.data.receivables);
      const receivables = await page.locator('[data-stat="To receive"]').textContent();
      expect(receivables?.replace(/[^\d.-]/g, '')).toBe(restored.data.receivables);

      const sourceInvoices = await call<{ invoices: { number: string }[] }>(
        server.url,
        'invoice.list',
        { limit: 5, offset: 0 },
        { token: owner.token, tenantId: first.id, businessId },
      );
      expect(sourceInvoices.data.invoices.length).toBeGreaterThan(0);
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: 'Invoices' })
        .click();
      for (const invoice of sourceInvoices.data.invoices) {
        await page.getByRole('link', { name: invoice.number, exact: true }).waitFor();
      }

      const switcher = page.locator('.org-switcher').getByLabel('Organization');
      expect(await switcher.inputValue()).toBe(second.id);
      expect(await switcher.locator('option').allTextContents()).toEqual(
        expect.arrayContaining(['Kiran Textiles (owner)', 'Kiran Textiles (copy) (owner)']),
      );
      expect(await switcher.locator('option').count()).toBe(2);

      // Switching back shows the first organization, still there.
      await switcher.selectOption(first.id);
      await page.waitForURL((url) => url.pathname === '/dashboard');
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await page.waitForFunction(
        (id) => JSON.parse(localStorage.getItem('hisaabo.scope') ?? '{}').tenantId === id,
        first.id,
      );
      await page.locator('[data-stat="To receive"]').waitFor();
      const firstReceivables = await page.locator('[data-stat="To receive"]').textContent();
      expect(firstReceivables?.replace(/[^\d.-]/g, '')).toBe(source.data.receivables);
    });
  });
}
