import { it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { seedDemoOrganization } from '@hisaabo/domain';
import { startTestServer } from '../../../packages/server/test/support/server.ts';
import { createTenant, registerUser } from '../../../packages/server/test/support/trpc.ts';
import { launchBrowser, openSession } from './support/browser.ts';
import { ensureWebBuilt } from './support/buildWeb.ts';
import { signInInBrowser } from './support/flows.ts';

it('looks', async () => {
  await ensureWebBuilt();
  const server = await startTestServer(testBackends()[0]!);
  const owner = await registerUser(server.url, { name: 'Asha Owner' });
  const org = await createTenant(server.url, owner.token, { name: 'Sharma Traders', slug: 'sharma' });
  await seedDemoOrganization(server.database, {
    tenantId: org.id,
    invoices: 200,
    seed: 'look',
    endDate: '2026-11-20',
  });
  const browser = await launchBrowser();
  for (const [label, viewport] of [
    ['desk', { width: 1280, height: 860 }],
    ['phone', { width: 390, height: 800 }],
  ] as const) {
    const { page } = await openSession(browser, server.url, viewport);
    page.on('pageerror', (e) => console.log('pageerror', e.message));
    await signInInBrowser(page, owner);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.waitForTimeout(1500);
    for (const path of [
      '/dashboard',
      '/invoices',
      '/parties',
      '/items',
      '/payments',
      '/expenses',
      '/bank',
      '/settings/business',
      '/settings/team',
    ]) {
      await page.goto(path);
      await page.waitForTimeout(1500);
      await page.screenshot({
        path: `/tmp/look-${label}${path.replace(/\//g, '-')}.png`,
        fullPage: label === 'desk',
      });
    }
    await page.goto('/invoices');
    await page.getByRole('link', { name: /^INV-/ }).first().click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `/tmp/look-${label}-invoice.png`, fullPage: true });
    await page.goto('/payments/new');
    await page.waitForTimeout(1000);
    await page.getByLabel('Party').selectOption({ index: 2 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `/tmp/look-${label}-payment.png`, fullPage: true });
  }
  await browser.close();
  await server.close();
}, 300_000);
