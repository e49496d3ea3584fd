import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import type { TestServer } from '../../../packages/server/test/support/server.ts';
import {
  call,
  registerUser,
  type TestTenant,
  type TestUser,
} from '../../../packages/server/test/support/trpc.ts';
import { openSession, type BrowserSession } from './support/browser.ts';
import { signInInBrowser, signInToDashboard } from './support/flows.ts';
import { startOwnerWorld } from './support/ownerWorld.ts';

// An owner invites a colleague from Settings > Team; the colleague is not a member until they accept
// the invitation shown on their Get started screen, and then works in the organization.
for (const backend of testBackends()) {
  describe(`invite → accept in the browser (${backend.kind})`, () => {
    let server: TestServer;
    let browser: Browser;
    let owner: TestUser;
    let organization: TestTenant;
    let session: BrowserSession;

    beforeAll(async () => {
      ({ server, browser, owner, organization, session } = await startOwnerWorld(backend, {
        ownerName: 'Farah Owner',
        organizationName: 'Farah Spices',
        slugPrefix: 'farah',
        invoices: 5,
        seed: 'invitations',
      }));
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const memberEmails = async () =>
      (
        await call<{ email: string }[]>(
          server.url,
          'tenant.members',
          { tenantId: organization.id },
          { token: owner.token },
        )
      ).data.map((m) => m.email);

    it('the owner invites, the colleague accepts on Get started, and only then is a member', async () => {
      const colleague = await registerUser(server.url, { name: 'Ravi Colleague' });
      const { page } = session;
      await signInToDashboard(page, owner);
      await page.goto('/settings/team');
      const form = page.getByRole('form', { name: 'Invite a member' });
      await form.getByLabel('Email').fill(colleague.email);
      await form.getByLabel('Role').selectOption('admin');
      await form.getByRole('button', { name: 'Invite' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `${colleague.email} is invited as admin` })
        .waitFor();
      const pending = page.getByRole('region', { name: 'Pending invitations' });
      await pending.getByRole('cell', { name: colleague.email, exact: true }).waitFor();
      expect(await memberEmails()).not.toContain(colleague.email);

      const invitee = await openSession(browser, server.url);
      await signInInBrowser(invitee.page, colleague);
      const invitations = invitee.page.getByRole('region', { name: 'Invitations' });
      await invitations.getByText('Farah Spices').waitFor();
      expect(await invitee.page.getByRole('heading', { name: 'Get started' }).count()).toBe(1);
      await invitations.getByRole('button', { name: 'Accept the invitation to Farah Spices' }).click();
      await invitee.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await invitee.page.getByText('Farah Spices').first().waitFor();
      expect(await memberEmails()).toContain(colleague.email);

      // The owner's pending list is empty now, and the colleague is in the team.
      await page.reload();
      await page.getByText('No invitation is waiting for an answer.').waitFor();
      await page.getByRole('cell', { name: colleague.email, exact: true }).waitFor();
      await invitee.context.close();
    });

    it('a declined invitation leaves the invitee outside and disappears from their screen', async () => {
      const decliner = await registerUser(server.url, { name: 'Dev Decliner' });
      await call(
        server.url,
        'tenant.addMember',
        { tenantId: organization.id, email: decliner.email, role: 'member' },
        { token: owner.token },
      );
      const invitee = await openSession(browser, server.url);
      await signInInBrowser(invitee.page, decliner);
      const invitations = invitee.page.getByRole('region', { name: 'Invitations' });
      await invitations.getByRole('button', { name: 'Decline the invitation to Farah Spices' }).click();
      await invitations.waitFor({ state: 'detached' });
      expect(await memberEmails()).not.toContain(decliner.email);
      await invitee.context.close();
    });
  });
}
