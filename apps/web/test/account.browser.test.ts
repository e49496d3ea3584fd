import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import type { TestServer } from '../../../packages/server/test/support/server.ts';
import { call, type TestUser } from '../../../packages/server/test/support/trpc.ts';
import type { BrowserSession } from './support/browser.ts';
import { signInToDashboard } from './support/flows.ts';
import { startOwnerWorld } from './support/ownerWorld.ts';

// Settings > Account: the user's sessions, signing one out, and a password change that signs out the
// others while this browser stays signed in.
for (const backend of testBackends()) {
  describe(`Settings > Account (${backend.kind})`, () => {
    let server: TestServer;
    let browser: Browser;
    let owner: TestUser;
    let session: BrowserSession;

    beforeAll(async () => {
      ({ server, browser, owner, session } = await startOwnerWorld(backend, {
        ownerName: 'Meera Owner',
        organizationName: 'Meera Prints',
        slugPrefix: 'meera',
        invoices: 3,
        seed: 'account',
      }));
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const alive = async (token: string) =>
      (await call(server.url, 'auth.me', undefined, { token })).status === 200;

    it('lists the sessions, signs another one out, and changes the password keeping this one', async () => {
      const { page } = session;
      await signInToDashboard(page, owner);
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: 'Settings' })
        .click();
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Account' }).click();

      const sessions = page.getByRole('region', { name: 'Active sessions' });
      await sessions.getByText('This session').waitFor();
      // The session of the sign-up (made over the API) is the other one.
      await sessions.getByRole('button', { name: 'Sign out', exact: true }).click();
      await sessions.getByRole('button', { name: 'Sign out', exact: true }).waitFor({ state: 'detached' });
      expect(await alive(owner.token)).toBe(false);

      const other = await call<{ sessionToken: string }>(server.url, 'auth.login', {
        email: owner.email,
        password: owner.password,
      });
      const form = page.getByRole('form', { name: 'Change password' });
      await form.getByLabel('Current password').fill(owner.password);
      await form.getByLabel('New password').fill('a much newer password');
      await form.getByRole('button', { name: 'Change password' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Password changed; 1 other session signed out.' })
        .waitFor();
      expect(await alive(other.data.sessionToken)).toBe(false);

      // This browser is still signed in.
      await page.reload();
      await sessions.getByText('This session').waitFor();
      expect(
        (await call(server.url, 'auth.login', { email: owner.email, password: 'a much newer password' }))
          .status,
      ).toBe(200);
    });
  });
}
