import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; the flags keep it from calling home during tests. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Where this session's downloads are saved. */
  downloads: string;
}

/** A fresh browser profile (no cookies) at `baseURL`, with a download folder of its own. */
export async function openSession(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1280, height: 860 },
): Promise<BrowserSession> {
  const downloads = mkdtempSync(join(tmpdir(), 'hisaabo-downloads-'));
  mkdirSync(downloads, { recursive: true });
  const context = await browser.newContext({ baseURL, acceptDownloads: true, viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page, downloads };
}
