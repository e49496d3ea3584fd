import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businesses, parties } from '@hisaabo/db';
import { testBackends } from '@hisaabo/db/testing';
import type { TestServer } from '../../../packages/server/test/support/server.ts';
import type { TestTenant, TestUser } from '../../../packages/server/test/support/trpc.ts';
import { verifyFile } from './support/archives.ts';
import type { BrowserSession } from './support/browser.ts';
import { openDataTab, signInToDashboard } from './support/flows.ts';
import { startOwnerWorld } from './support/ownerWorld.ts';

// "Download backup" of an archive over 100 MB: the browser's download manager saves it from the
// signed link while the page's JavaScript heap stays small, which a Blob of the archive could not.
// Heavy (about a minute per backend, and a few hundred MB of memory and disk), so it runs only when asked:
//   HISAABO_HEAVY_TESTS=1 npx vitest run apps/web/test/largeDownload.browser.test.ts

const MiB = 1024 * 1024;
// Random base64 text barely compresses (gzip takes it to about 3/4 of its size): 600 parties with
// 256 KiB of notes each make an archive of about 115 MiB, with nothing large on the page's screens.
const PARTIES = 600;
const NOTES_RANDOM_BYTES = 192 * 1024;
const HEAP_LIMIT = 50 * MiB;

/**
 * The page's JavaScript memory: the V8 heap, plus the ArrayBuffer backing stores and the embedder's
 * objects, which V8's `usedSize` leaves out and where chunks of a fetched body would sit.
 */
async function usedHeap(cdp: CDPSession): Promise<number> {
  const usage = await cdp.send('Runtime.getHeapUsage');
  return usage.usedSize + (usage.backingStorageSize ?? 0) + (usage.embedderHeapUsedSize ?? 0);
}

for (const backend of testBackends()) {
  describe.skipIf(!process.env.HISAABO_HEAVY_TESTS)(
    `a backup over 100 MB in the browser (${backend.kind})`,
    () => {
      let server: TestServer;
      let browser: Browser;
      let owner: TestUser;
      let organization: TestTenant;
      let session: BrowserSession;

      beforeAll(async () => {
        ({ server, browser, owner, organization, session } = await startOwnerWorld(backend, {
          ownerName: 'Lata Large',
          organizationName: 'Large Notes',
          slugPrefix: 'large',
          invoices: 1,
          seed: 'large-download',
        }));
        // The server's database is fresh: the demo business is the organization's only one.
        const [business] = await server.database.db
          .select({ id: businesses.id, tenantId: businesses.tenantId })
          .from(businesses);
        expect(business?.tenantId).toBe(organization.id);
        for (let done = 0; done < PARTIES; done += 50) {
          await server.database.db.insert(parties).values(
            Array.from({ length: 50 }, (_, i) => ({
              tenantId: organization.id,
              businessId: business!.id,
              type: 'customer' as const,
              name: `Large party ${done + i + 1}`,
              notes: randomBytes(NOTES_RANDOM_BYTES).toString('base64'),
            })),
          );
        }
        await signInToDashboard(session.page, owner);
      }, 300_000);

      afterAll(async () => {
        await browser?.close();
        await server?.close();
      });

      it('saves it from the signed link with the page heap under 50 MB', { timeout: 600_000 }, async () => {
        const { page } = session;
        await openDataTab(page);
        await page.getByRole('heading', { name: 'Full backup (restorable)' }).waitFor();
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('HeapProfiler.collectGarbage');
        const samples: number[] = [await usedHeap(cdp)];

        // Sampled every 100 ms from the click until the file is saved, and once after.
        let downloading = true;
        const sampling = (async () => {
          while (downloading) {
            samples.push(await usedHeap(cdp));
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        })();
        const downloadEvent = page.waitForEvent('download', { timeout: 300_000 });
        await page.getByRole('button', { name: 'Download backup' }).click();
        const download = await downloadEvent;
        // The browser's download manager fetches the signed link itself, not a blob: URL of the page.
        expect(download.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/export\/[0-9a-f-]+\?token=/);
        const saved = join(session.downloads, download.suggestedFilename());
        await download.saveAs(saved);
        expect(await download.failure()).toBeNull();
        downloading = false;
        await sampling;
        await page.getByRole('cell', { name: 'Backup downloaded' }).waitFor();
        samples.push(await usedHeap(cdp));

        const size = statSync(saved).size;
        const peak = Math.max(...samples);
        console.log(
          JSON.stringify({
            largeDownload: {
              backend: backend.kind,
              archiveMiB: +(size / MiB).toFixed(1),
              heapSamples: samples.length,
              heapStartMiB: +(samples[0]! / MiB).toFixed(1),
              heapPeakMiB: +(peak / MiB).toFixed(1),
              heapAfterMiB: +(samples.at(-1)! / MiB).toFixed(1),
            },
          }),
        );
        expect(size).toBeGreaterThanOrEqual(100 * MiB);
        // Sampled during the transfer, not only before and after it.
        expect(samples.length).toBeGreaterThan(3);
        expect(peak).toBeLessThan(HEAP_LIMIT);

        const report = await verifyFile(saved);
        expect(report.errors).toEqual([]);
        expect(report.ok).toBe(true);
        const stored = (await server.database.db.select({ tenantId: parties.tenantId }).from(parties)).filter(
          (party) => party.tenantId === organization.id,
        );
        expect(report.tables.parties?.rows).toBe(stored.length);
        expect(stored.length).toBeGreaterThanOrEqual(PARTIES);
      });
    },
  );
}
