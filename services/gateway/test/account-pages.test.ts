import { createServer } from 'node:net';
import { readOutbox } from '@clubland/notify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, skipBrowserTests, warnIfSkipped } from './browser.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * The pages the links in emails open (issue 28, item 7), served by the gateway: each link is taken
 * from a real email the auth service wrote (the file outbox), opened in headless Chromium, and
 * what the page's button does is checked through the API.
 */
warnIfSkipped('the account pages browser test');

const PASSWORD = 'a long and proper password';
const NEW_PASSWORD = 'another long and proper password';
const SECRET = 'Zm9vYmFyLXNlY3JldC10b2tlbi12YWx1ZQ';

/** A port free a moment ago: the auth service must know the gateway's address before it listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the account pages and the 404 of the gateway', () => {
  let harness: GatewayHarness;
  let origin: string;
  let clubId: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    harness = await setupGateway({ publicUrl: origin });
    await harness.app.listen({ host: '127.0.0.1', port });
    const created = await harness.asNetworkAdmin(
      'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
      { input: { name: 'Athenaeum', slug: 'athenaeum' } },
    );
    clubId = created.body.data?.createClub.id;
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  /** The link of the newest email of `template` to `to`, as the auth service wrote it. */
  async function linkIn(to: string, template: string): Promise<string> {
    const newest = async () =>
      (await readOutbox(harness.mailDir)).filter((m) => m.to === to && m.template === template).at(-1);
    // Some emails go out after the answer (requestPasswordReset answers first).
    await expect.poll(newest, { timeout: 10_000 }).toBeDefined();
    const mail = await newest();
    const link = String(mail?.data.link);
    expect(mail?.text).toContain(link);
    return link;
  }

  async function register(email: string): Promise<string> {
    const { body } = await harness.post(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      {
        input: { email, password: PASSWORD, clubId, firstName: 'Ada', lastName: 'Lovelace' },
      },
    );
    return body.data?.register.token;
  }

  it('serves each page as the same static HTML, without the token in it, and changes nothing on a GET', async () => {
    const token = await register('static@example.org');
    const link = await linkIn('static@example.org', 'auth.verify-email');
    expect(link.startsWith(`${origin}/verify-email?token=`)).toBe(true);
    for (const path of ['verify-email', 'reset-password', 'accept-invitation']) {
      const response = await fetch(`${origin}/${path}?token=${SECRET}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const html = await response.text();
      expect(html).not.toContain(SECRET);
      expect(html).toContain('/account-pages/account.js');
    }
    // A mail scanner prefetching the real link verifies nothing.
    expect((await fetch(link)).status).toBe(200);
    const me = await harness.as(token)('{ me { emailVerified } }');
    expect(me.body.data?.me).toEqual({ emailVerified: false });
  });

  it('answers an unknown route with a 404 that names the path and never the query string', async () => {
    for (const url of [`/verify-emails?token=${SECRET}`, `/verify-email/x?token=${SECRET}`]) {
      const response = await fetch(`${origin}${url}`);
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(text).not.toContain(SECRET);
      expect(JSON.parse(text)).toMatchObject({
        statusCode: 404,
        message: `Route GET ${url.split('?')[0]} not found`,
      });
    }
    const post = await fetch(`${origin}/reset-password?token=${SECRET}`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(await post.text()).not.toContain(SECRET);
    const asset = await fetch(`${origin}/account-pages/nothing.js?token=${SECRET}`);
    expect(asset.status).toBe(404);
    expect(await asset.text()).not.toContain(SECRET);
  });

  describe.skipIf(skipBrowserTests)('in headless Chromium', () => {
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      browser = await openBrowser();
      page = browser.page;
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    async function pressAndRead(button: RegExp): Promise<string> {
      await page.locator('#result').evaluate((element) => element.removeAttribute('data-outcome'));
      await page.getByRole('button', { name: button }).click();
      const result = page.locator('#result');
      await expect.poll(() => result.getAttribute('data-outcome'), { timeout: 15_000 }).toMatch(/done|error/);
      return (await result.textContent()) ?? '';
    }

    it('verifies the address when the link from the verification email is opened and confirmed', async () => {
      const token = await register('ada@example.org');
      const link = await linkIn('ada@example.org', 'auth.verify-email');
      await page.goto(link);
      // The token leaves the address bar once the page has read it.
      expect(new URL(page.url()).search).toBe('');
      expect(await pressAndRead(/confirm my email address/i)).toMatch(/is confirmed/);
      const me = await harness.as(token)('{ me { emailVerified } }');
      expect(me.body.data?.me).toEqual({ emailVerified: true });
      // The link worked once.
      await page.goto(link);
      expect(await pressAndRead(/confirm my email address/i)).toMatch(/invalid, used or expired/);
    });

    it('sets a new password from the reset email, and that password signs in', async () => {
      await register('grace@example.org');
      await harness.post('mutation($email: String!) { requestPasswordReset(email: $email) }', {
        email: 'grace@example.org',
      });
      const link = await linkIn('grace@example.org', 'auth.reset-password');
      await page.goto(link);
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('The new password again', { exact: true }).fill(`${NEW_PASSWORD}!`);
      expect(await pressAndRead(/set the new password/i)).toMatch(/differ/);
      await page.getByLabel('The new password again', { exact: true }).fill(NEW_PASSWORD);
      expect(await pressAndRead(/set the new password/i)).toMatch(/password is changed/);
      const login = (password: string) =>
        harness.post('mutation($input: LoginInput!) { login(input: $input) { user { email } } }', {
          input: { email: 'grace@example.org', password },
        });
      expect((await login(NEW_PASSWORD)).body.data?.login.user).toEqual({ email: 'grace@example.org' });
      expect((await login(PASSWORD)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('accepts an invitation from its email with a chosen password, which then signs in', async () => {
      await harness.asNetworkAdmin(
        'mutation($clubId: ID!, $email: String!) { inviteClubAdmin(clubId: $clubId, email: $email) { id } }',
        {
          clubId,
          email: 'henry@example.org',
        },
      );
      const link = await linkIn('henry@example.org', 'auth.club-invitation');
      await page.goto(link);
      await page.getByLabel('First name').fill('Henry');
      await page.getByLabel('Last name').fill('Wotton');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      expect(await pressAndRead(/accept the invitation/i)).toMatch(/Sign in as henry@example.org/);
      const login = await harness.post(
        'mutation($input: LoginInput!) { login(input: $input) { user { roles } } }',
        {
          input: { email: 'henry@example.org', password: PASSWORD },
        },
      );
      expect(login.body.data?.login.user).toEqual({ roles: ['CLUB_ADMIN'] });
    });

    it('asked nothing of any origin but the gateway, and met no error or policy violation', () => {
      expect(
        browser.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:')),
      ).toEqual([]);
      expect(browser.requests).toContain(`${origin}/account-pages/account.js`);
      expect(browser.failures).toEqual([]);
    });
  });
});
