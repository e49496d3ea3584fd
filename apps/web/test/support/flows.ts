import type { Page } from 'playwright-core';

/** Signs up through the sign-up screen, as a new user would. */
export async function signUpInBrowser(
  page: Page,
  user: { name: string; email: string; password: string },
): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Your name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function signInInBrowser(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The Get started screen an account with no organization lands on: names the organization, leaving
 * the choice (Create a new business or Restore from a backup) to the caller.
 */
export async function nameOrganizationInBrowser(page: Page, name: string, slug: string): Promise<void> {
  await page.getByRole('heading', { name: 'Get started' }).waitFor();
  await page.waitForURL((url) => url.pathname === '/get-started');
  await page.getByLabel('Organization name').fill(name);
  await page.getByLabel('Short name (slug)').fill(slug);
}

/** Sidebar → Settings → Data tab, the product page's steps. */
export async function openDataTab(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Data' }).click();
}

/** Signs in as a member of an organization with books, and waits for the Dashboard they land on. */
export async function signInToDashboard(
  page: Page,
  user: { email: string; password: string },
): Promise<void> {
  await signInInBrowser(page, user);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}
