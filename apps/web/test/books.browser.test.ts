import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { startTestServer, type TestServer } from '../../../packages/server/test/support/server.ts';
import { uniqueSuffix } from '../../../packages/server/test/support/trpc.ts';
import { type BrowserSession, launchBrowser, openSession } from './support/browser.ts';
import { ensureWebBuilt } from './support/buildWeb.ts';
import { nameOrganizationInBrowser, signUpInBrowser } from './support/flows.ts';

// A new user's first day, entirely through the forms: business, party, item, invoice, payment.
for (const backend of testBackends()) {
  describe(`the books in the browser (${backend.kind})`, () => {
    let server: TestServer;
    let browser: Browser;
    let session: BrowserSession;

    beforeAll(async () => {
      await ensureWebBuilt();
      server = await startTestServer(backend);
      browser = await launchBrowser();
      session = await openSession(browser, server.url);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const stat = (label: string) => session.page.locator(`[data-stat="${label}"]`).textContent();
    const goTo = (section: string) =>
      session.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section }).click();

    it('creating a party, an item, an invoice and a payment through the forms updates the dashboard', async () => {
      const { page } = session;
      await signUpInBrowser(page, {
        name: 'Meera Shah',
        email: `meera-${uniqueSuffix()}@example.com`,
        password: 'first day at work',
      });
      await nameOrganizationInBrowser(page, 'Shah & Sons', `shah-${uniqueSuffix()}`);
      await page.getByRole('button', { name: /Create a new business/ }).click();
      await page.getByRole('heading', { name: 'Create a new business' }).waitFor();
      await page.getByLabel('Business name').fill('Shah Hardware');
      await page.getByRole('button', { name: 'Create business' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      expect(await stat('To receive')).toBe('₹0.00');

      await goTo('Parties');
      await page.getByText('No parties yet').waitFor();
      await page.getByRole('button', { name: 'New party' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Kapoor Builders');
      await page.getByLabel('Phone').fill('9876543210');
      await page.getByRole('button', { name: 'Create party' }).click();
      await page.getByRole('link', { name: 'Kapoor Builders' }).waitFor();

      await goTo('Items');
      await page.getByRole('button', { name: 'New item' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Cement bag 50 kg');
      await page.getByLabel('Sale price').fill('350.00');
      await page.getByLabel('Tax rate (%)').fill('18');
      await page.getByRole('button', { name: 'Create item' }).click();
      await page.getByRole('link', { name: 'Cement bag 50 kg' }).waitFor();

      // Settings > Business: the invoices of this business are numbered SH-00100 onwards.
      await goTo('Settings');
      await page.getByRole('heading', { name: 'Document numbers' }).waitFor();
      await page.getByLabel('Invoice prefix', { exact: true }).fill('SH');
      await page.getByLabel('Invoice next number', { exact: true }).fill('100');
      await page
        .getByRole('row')
        .filter({ has: page.getByLabel('Invoice prefix', { exact: true }) })
        .getByRole('button', { name: 'Save' })
        .click();
      await page.getByRole('cell', { name: 'SH-00100', exact: true }).waitFor();

      await goTo('Invoices');
      await page.getByRole('button', { name: 'New document' }).click();
      await page.getByLabel('Party').selectOption({ label: 'Kapoor Builders' });
      await page.getByLabel('Line 1 item').selectOption({ label: 'Cement bag 50 kg' });
      await page.getByLabel('Line 1 quantity').fill('10');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      // 10 × 350.00 = 3,500.00 + 18% tax 630.00 = 4,130.00, computed by the server.
      const totals = page.getByRole('definition').filter({ hasText: '₹4,130.00' });
      await totals.first().waitFor();
      const invoiceTitle = await page.getByRole('heading', { level: 1 }).textContent();
      const invoiceNumber = invoiceTitle?.replace('Invoice ', '') ?? '';
      expect(invoiceNumber).toBe('SH-00100');

      await goTo('Dashboard');
      await page.locator('[data-stat="To receive"]', { hasText: '₹4,130.00' }).waitFor();
      expect(await stat('Sales this month')).toBe('₹4,130.00');

      await goTo('Payments');
      await page.getByRole('button', { name: 'Record payment' }).click();
      await page.getByLabel('Party').selectOption({ label: 'Kapoor Builders' });
      await page.getByLabel('Amount', { exact: true }).fill('1000.00');
      await page.getByLabel(`Amount for ${invoiceNumber}`).fill('1000.00');
      await page.getByRole('button', { name: 'Save payment' }).click();
      await page.getByRole('cell', { name: '₹1,000.00' }).waitFor();

      await goTo('Dashboard');
      await page.locator('[data-stat="To receive"]', { hasText: '₹3,130.00' }).waitFor();
      expect(await stat('Cash in hand')).toBe('₹1,000.00');

      await goTo('Invoices');
      await page.getByRole('row', { name: new RegExp(`${invoiceNumber}.*Partial`) }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.goto('/dashboard');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    });
  });
}
