import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, data, reciprocalFixtures } from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * The unsubscribe link of a notification email, followed without signing in through the gateway's
 * REST route (GET: the confirmation page; POST: RFC 8058 one-click) to the notification service's
 * Unsubscribe RPC. The mail is the one the service wrote to the outbox folder.
 */
describe('unsubscribe links through the gateway', () => {
  let harness: GatewayHarness;
  let adminA: Account;
  let ada: Account;

  beforeAll(async () => {
    harness = await setupGateway();
    const fixtures = reciprocalFixtures(harness);
    const clubA = await fixtures.club('Athenaeum');
    adminA = await fixtures.account(clubA, { role: 'CLUB_ADMIN' });
    ada = await fixtures.member(clubA, adminA.as, {
      memberNumber: 'A-1',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
  }, 180_000);
  afterAll(async () => {
    await harness.close();
  });

  async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** An announcement by email to Ada, once the notification service knows her as a member. */
  async function announce(title: string): Promise<{ channels: string[] }> {
    return until(async () => {
      const { body } = await adminA.as(
        `mutation($input: SendNotificationInput!) { sendNotification(input: $input) { id channels } }`,
        { input: { userId: ada.userId, channel: 'EMAIL', title, body: `${title}: details` } },
      );
      if (body.errors?.[0]?.extensions?.code === 'FORBIDDEN') return undefined;
      return (await data(Promise.resolve({ body }))).sendNotification as { channels: string[] };
    });
  }

  it("the mail's link unsubscribes that category on email; a tampered one is refused and changes nothing", async () => {
    expect((await announce('Wine tasting')).channels).toEqual(['IN_APP', 'EMAIL']);
    const mail = await until(async () =>
      (await readOutbox(harness.mailDir)).find(
        (m) => m.template === 'notification' && m.subject === 'Wine tasting',
      ),
    );
    expect(mail.to).toBe(ada.email);
    const link = mail.data.unsubscribeUrl as string;
    expect(link).toMatch(/^http:\/\/localhost:8080\/notifications\/unsubscribe\?token=/);
    expect(mail.text).toContain(link);
    expect(mail.data.html as string).toContain('Athenaeum');
    const { pathname, search, searchParams } = new URL(link);
    const token = searchParams.get('token')!;

    const shown = await harness.app.inject({ method: 'GET', url: `${pathname}${search}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toMatch(/^text\/html/);
    expect(shown.body).toContain('Stop receiving club announcements by email?');
    expect(shown.body).toContain('<form method="post"');

    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    const oneClick = (value: string) =>
      harness.app.inject({
        method: 'POST',
        url: `${pathname}?token=${encodeURIComponent(value)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
    const tampered = await oneClick(flip(token, 5));
    expect(tampered.statusCode).toBe(400);
    expect(tampered.body).toContain('This link is not valid');
    expect((await harness.app.inject({ method: 'GET', url: pathname })).statusCode).toBe(400);
    // Nothing changed: the next announcement still goes by email.
    expect((await announce('Cheese evening')).channels).toEqual(['IN_APP', 'EMAIL']);

    const done = await oneClick(token);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You will no longer receive club announcements by email.');
    expect((await announce('Quiz night')).channels).toEqual(['IN_APP']);

    const openapi = (await harness.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(openapi.paths['/notifications/unsubscribe'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});
