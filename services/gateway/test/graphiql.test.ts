import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, skipBrowserTests, warnIfSkipped } from './browser.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * GraphiQL in a real browser (browser.ts). The page must work with nothing but the gateway: every
 * request it makes is recorded, and any to another origin fails the test.
 */
warnIfSkipped('the GraphiQL browser test');

describe.skipIf(skipBrowserTests)('GraphiQL in headless Chromium', () => {
  let harness: GatewayHarness;
  let origin: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    harness = await setupGateway({ gateway: { graphiql: true, introspection: true } });
    await harness.asNetworkAdmin('mutation($input: CreateClubInput!) { createClub(input: $input) { id } }', {
      input: { name: 'Athenaeum', slug: 'athenaeum' },
    });
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;

    browser = await openBrowser();
    page = browser.page;
    await page.goto(`${origin}/graphiql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('loads with no request to any origin but the gateway', () => {
    const { requests } = browser;
    const elsewhere = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));
    expect(elsewhere).toEqual([]);
    expect(requests).toContain(`${origin}/graphiql`);
    expect(requests.some((url) => /\/graphiql\/graphiql-[\d.]+\.js$/.test(url))).toBe(true);
  });

  it('shows the schema in the documentation explorer', async () => {
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).click();
    await expect.poll(() => docs.textContent(), { timeout: 10_000 }).toContain('clubs');
  });

  it('runs a query typed into the editor and shows its data', async () => {
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    // The editor closes brackets itself; typing the closing ones steps over them.
    await page.keyboard.type('{ clubs { nodes { name slug } } }');
    await page.getByRole('button', { name: /execute query/i }).click();
    const response = page.locator('.graphiql-response');
    await expect.poll(() => response.textContent(), { timeout: 10_000 }).toContain('"slug": "athenaeum"');
  });

  it('met no error, failed request or content security policy violation on the way', () => {
    expect(browser.failures).toEqual([]);
  });
});
