import type { TestBackend } from '@hisaabo/db/testing';
import { seedDemoOrganization } from '@hisaabo/domain';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../../../packages/server/test/support/server.ts';
import {
  createTenant,
  registerUser,
  type TestTenant,
  type TestUser,
  uniqueSuffix,
} from '../../../../packages/server/test/support/trpc.ts';
import { type BrowserSession, launchBrowser, openSession } from './browser.ts';
import { ensureWebBuilt } from './buildWeb.ts';

export interface OwnerWorld {
  server: TestServer;
  browser: Browser;
  owner: TestUser;
  organization: TestTenant;
  /** A browser session on the app, not signed in yet. */
  session: BrowserSession;
}

/**
 * A real server on the backend, Chromium, and an owner whose organization holds demo books: where
 * the browser tests of an owner at work start.
 */
export async function startOwnerWorld(
  backend: TestBackend,
  options: {
    ownerName: string;
    organizationName: string;
    slugPrefix: string;
    invoices: number;
    seed: string;
    /** Server settings, e.g. `{ HISAABO_BACKUP_DIR }`. */
    env?: Record<string, string>;
  },
): Promise<OwnerWorld> {
  await ensureWebBuilt();
  const server = await startTestServer(backend, { env: options.env });
  const browser = await launchBrowser();
  const owner = await registerUser(server.url, { name: options.ownerName });
  const organization = await createTenant(server.url, owner.token, {
    name: options.organizationName,
    slug: `${options.slugPrefix}-${uniqueSuffix()}`,
  });
  await seedDemoOrganization(server.database, {
    tenantId: organization.id,
    invoices: options.invoices,
    seed: options.seed,
  });
  const session = await openSession(browser, server.url);
  return { server, browser, owner, organization, session };
}
