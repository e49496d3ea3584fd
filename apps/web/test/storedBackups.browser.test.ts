import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// An owner turns on daily automatic backups, makes one run now, sees it listed and verified,
// downloads it, and restores it into a new organization from Get started without uploading anything.
for (const backend of testBackends()) {
  describe(`automatic backups in the browser (${backend.kind})`, () => {
    const backupDir = mkdtempSync(join(tmpdir(), 'hisaabo-web-backups-'));
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
        ownerName: 'Meera Owner',
        organizationName: 'Meera Stores',
        slugPrefix: 'meera',
        invoices: 25,
        seed: 'automatic-backups',
        env: { HISAABO_BACKUP_DIR: backupDir },
      }));
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      rmSync(backupDir, { recursive: true, force: true });
    });

    it('daily backups on, run now, listed, downloaded, restored into a new organization', async () => {
      const { page } = session;
      await signInToDashboard(page, owner);
      await openDataTab(page);

      const card = page.getByRole('region', { name: 'Automatic backups' });
      await card.getByLabel('Frequency').selectOption('daily');
      await card.getByLabel('At').selectOption('3');
      await card.getByLabel('Keep the last').fill('5');
      await card.getByRole('button', { name: 'Save schedule' }).click();
      await card.getByText('Schedule saved.').waitFor();
      const schedule = await call<{ frequency: string; hour: number; keep: number }>(
        server.url,
        'backupSchedule.get',
        { tenantId: first.id },
        { token: owner.token },
      );
      expect(schedule.data).toMatchObject({ frequency: 'daily', hour: 3, keep: 5 });

      await card.getByRole('button', { name: 'Run now' }).click();
      const stored = page.getByRole('region', { name: 'Stored backups' });
      const row = stored.getByRole('row').filter({ hasText: 'Run now' });
      await row.getByText('Verified').waitFor({ timeout: 60_000 });

      const downloadEvent = page.waitForEvent('download');
      await row.getByRole('button', { name: /^Download the backup of / }).click();
      const download = await downloadEvent;
      const archive = join(session.downloads, download.suggestedFilename());
      await download.saveAs(archive);
      expect(download.suggestedFilename()).toMatch(/^hisaabo-meera-.*\.tar\.gz$/);
      const report = await verifyFile(archive);
      expect(report.ok).toBe(true);
      expect(report.manifest?.source.tenantId).toBe(first.id);
      expect(
        readFileSync(join(backupDir, first.id, download.suggestedFilename())).equals(readFileSync(archive)),
      ).toBe(true);
      await stored.getByText(/^Your browser is saving hisaabo-meera-/).waitFor();

      // A new organization, restored from the stored backup: no file to pick.
      await page.locator('.org-switcher').getByRole('link', { name: 'New organization' }).click();
      await page.getByRole('heading', { name: 'Get started' }).waitFor();
      const slug = `meera-copy-${uniqueSuffix()}`;
      await page.getByLabel('Organization name').fill('Meera Stores (copy)');
      await page.getByLabel('Short name (slug)').fill(slug);
      await page.getByRole('button', { name: /Restore from a backup/ }).click();
      await page.waitForURL((url) => url.pathname === '/restore');
      const kept = page.getByRole('region', { name: 'Backups kept on this server' });
      await kept.getByRole('button', { name: /^Restore the backup of Meera Stores from / }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm restore' });
      await dialog.getByText('Meera Stores (copy)').waitFor();
      await dialog.getByRole('button', { name: 'Restore' }).click();
      const result = page.getByRole('region', { name: 'Restore complete' });
      await result.waitFor({ timeout: 60_000 });
      await result
        .getByRole('row', { name: new RegExp(`^invoices ${report.tables.invoices?.rows.toLocaleString()}$`) })
        .waitFor();

      const organizations = await call<{ id: string; slug: string }[]>(server.url, 'tenant.list', undefined, {
        token: owner.token,
      });
      const copy = organizations.data.find((org) => org.slug === slug)!;
      const business = await call<{ id: string }[]>(server.url, 'business.list', undefined, {
        token: owner.token,
        tenantId: first.id,
      });
      const summary = (tenantId: string) =>
        call<{ receivables: string }>(server.url, 'dashboard.summary', undefined, {
          token: owner.token,
          tenantId,
          businessId: business.data[0]!.id,
        });
      expect((await summary(copy.id)).data.receivables).toBe((await summary(first.id)).data.receivables);

      // The restore and the stored backup are in the history; no export was counted.
      const history = await call<{
        events: { kind: string; outcome: string }[];
        exportLimit: { used: number };
      }>(server.url, 'backup.history', { tenantId: first.id }, { token: owner.token });
      expect(history.data.events.map((e) => `${e.kind}:${e.outcome}`)).toContain('stored:succeeded');
      expect(history.data.exportLimit.used).toBe(0);
    });
  });
}
