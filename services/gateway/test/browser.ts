import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * A real browser for the page tests: Debian's Chromium, headless, driven by playwright-core
 * (which never downloads a browser of its own). Without Chromium the tests are skipped with a
 * warning, unless CLUBLAND_REQUIRE_BROWSER=1 makes that a failure.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const browserRequired = process.env.CLUBLAND_REQUIRE_BROWSER === '1';
export const skipBrowserTests = !hasChromium && !browserRequired;

export function warnIfSkipped(what: string): void {
  if (!skipBrowserTests) return;
  console.warn(
    `SKIPPED: ${what} needs Chromium at ${CHROMIUM} ` +
      '(apt-get install chromium, or set CHROMIUM_PATH); CLUBLAND_REQUIRE_BROWSER=1 makes this a failure',
  );
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Every URL the browser requested. */
  requests: string[];
  /** Failed requests, HTTP errors, page errors, console errors and content security policy violations. */
  failures: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, recording what a page asks for and what goes wrong. */
export async function openBrowser(): Promise<Browser> {
  if (!hasChromium) throw new Error(`CLUBLAND_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
  const profile = mkdtempSync(join(tmpdir(), 'clubland-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const requests: string[] = [];
  const failures: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('requestfailed', (request) =>
    failures.push(`${request.url()}: ${request.failure()?.errorText}`),
  );
  context.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.url()}: HTTP ${response.status()}`);
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  // Anything the content security policy blocks is reported here (an attempt at another origin).
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI);
    });`,
  });
  page.on('console', (message) => {
    if (message.type() === 'error') failures.push(`console: ${message.text()}`);
  });
  return {
    context,
    page,
    requests,
    failures,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
