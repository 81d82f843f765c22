import type { AddressInfo } from 'node:net';
import { readOutbox } from '@clubland/notify';
import { createClient as createGraphqlWsClient } from 'graphql-ws';
import { SubscriptionClient } from 'subscriptions-transport-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Account, data, errorOf, mobileOperation, reciprocalFixtures } from './reciprocal-fixtures.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

interface Received {
  notificationReceived: { id: string; userId: string; title: string; message: string; channels: string[] };
}

/**
 * The mobile client's notification operations (social/*notification*, subscriptions/
 * notification_received) as the app sends them, through the gateway to the notification service;
 * notificationReceived over both WebSocket subprotocols, each subscriber hearing only their own.
 */
describe('notifications through the gateway', () => {
  let harness: GatewayHarness;
  let wsUrl: string;
  let clubA: string;
  let adminA: Account;
  let ada: Account;
  let ben: Account;
  let outsider: Account;

  beforeAll(async () => {
    harness = await setupGateway();
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    wsUrl = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/graphql`;
    const fixtures = reciprocalFixtures(harness);
    clubA = await fixtures.club('Athenaeum');
    const clubB = await fixtures.club('Boodles');
    adminA = await fixtures.account(clubA, { role: 'CLUB_ADMIN' });
    const adminB = await fixtures.account(clubB, { role: 'CLUB_ADMIN' });
    ada = await fixtures.member(clubA, adminA.as, {
      memberNumber: 'A-1',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    ben = await fixtures.member(clubA, adminA.as, {
      memberNumber: 'A-2',
      firstName: 'Ben',
      lastName: 'Kingsley',
    });
    outsider = await fixtures.member(clubB, adminB.as, {
      memberNumber: 'B-1',
      firstName: 'Cy',
      lastName: 'Young',
    });
  }, 180_000);
  afterAll(async () => {
    await harness.close();
  });

  async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A club admin's send (social/create_notification), once the recipient is known as a member there. */
  async function send(to: Account, title: string) {
    let result: Record<string, unknown> | undefined;
    await until(async () => {
      const { body } = await adminA.as(mobileOperation('social/create_notification'), {
        input: { userId: to.userId, channel: 'IN_APP', priority: 'HIGH', title, body: `${title}: details` },
      });
      if (body.errors?.[0]?.extensions?.code === 'FORBIDDEN') return false;
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      result = body.data!.sendNotification;
      return true;
    });
    return result!;
  }

  it('pushes notificationReceived to its person alone, over both subprotocols', async () => {
    // Ada on graphql-transport-ws (social/notification_received), Ben on the legacy graphql-ws
    // (subscriptions/notification_received), the outsider as well: each must hear only their own.
    const adaClient = createGraphqlWsClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${ada.token}` },
    });
    const adaGot: Received[] = [];
    const adaErrors: unknown[] = [];
    adaClient.subscribe<Received>(
      { query: mobileOperation('social/notification_received') },
      {
        next: (message) => (message.data ? adaGot.push(message.data) : adaErrors.push(message.errors)),
        error: (error) => adaErrors.push(error),
        complete: () => undefined,
      },
    );
    const benClient = new SubscriptionClient(
      wsUrl,
      { connectionParams: { authorization: ben.token } },
      WebSocket,
    );
    const benGot: Received[] = [];
    benClient.request({ query: mobileOperation('subscriptions/notification_received') }).subscribe({
      next: (message) => {
        if (message.data) benGot.push(message.data as unknown as Received);
      },
      error: (error) => adaErrors.push(error),
    });
    const outsiderClient = createGraphqlWsClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${outsider.token}` },
    });
    const outsiderGot: Received[] = [];
    outsiderClient.subscribe<Received>(
      { query: mobileOperation('social/notification_received') },
      {
        next: (message) => void (message.data && outsiderGot.push(message.data)),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await until(() => harness.subscriptionListenerCount('notification.created') >= 3, 60_000);

    const toAda = await send(ada, 'Dinner for Ada');
    expect(toAda).toMatchObject({
      userId: ada.userId,
      title: 'Dinner for Ada',
      body: 'Dinner for Ada: details',
      message: 'Dinner for Ada: details',
      status: 'DELIVERED',
      channel: 'IN_APP',
      priority: 'HIGH',
      scheduledFor: null,
    });
    const toBen = await send(ben, 'Squash for Ben');

    const titles = (got: Received[]) => got.map((m) => m.notificationReceived.title);
    await until(() => titles(adaGot).includes('Dinner for Ada') && titles(benGot).includes('Squash for Ben'));
    // A moment for anything misrouted to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(adaErrors).toEqual([]);
    expect(adaGot.every((m) => m.notificationReceived.userId === ada.userId)).toBe(true);
    expect(benGot.every((m) => m.notificationReceived.userId === ben.userId)).toBe(true);
    expect(titles(adaGot)).not.toContain('Squash for Ben');
    expect(titles(benGot)).not.toContain('Dinner for Ada');
    expect(outsiderGot.every((m) => m.notificationReceived.userId === outsider.userId)).toBe(true);
    expect(titles(outsiderGot)).toEqual(expect.not.arrayContaining(['Dinner for Ada', 'Squash for Ben']));
    expect(adaGot.find((m) => m.notificationReceived.id === toAda.id)?.notificationReceived).toMatchObject({
      message: 'Dinner for Ada: details',
      channels: ['IN_APP'],
    });
    expect(toBen).toMatchObject({ userId: ben.userId });

    await adaClient.dispose();
    benClient.close();
    await outsiderClient.dispose();
  });

  it('lists, counts and marks read with the mobile operations; another person’s id is NOT_FOUND', async () => {
    await send(ada, 'Wine tasting');
    const unread = async () =>
      (await data(ada.as(mobileOperation('social/unread_notification_count')))).unreadNotificationCount;
    const before: number = await unread();
    expect(before).toBeGreaterThanOrEqual(1);

    const page = (
      await data(ada.as(mobileOperation('social/notifications'), { pagination: { page: 1, pageSize: 50 } }))
    ).notifications;
    expect(page.pageInfo).toMatchObject({
      page: 1,
      pageSize: 50,
      total: page.nodes.length,
      hasPrevPage: false,
    });
    expect(page.nodes.every((n: { userId: string }) => n.userId === ada.userId)).toBe(true);
    const wine = page.nodes.find((n: { title: string }) => n.title === 'Wine tasting');
    expect(wine).toMatchObject({
      message: 'Wine tasting: details',
      status: 'DELIVERED',
      readAt: null,
      channels: ['IN_APP'],
    });

    expect(
      (await errorOf(ben.as(mobileOperation('social/mark_notification_read'), { id: wine.id }))).code,
    ).toBe('NOT_FOUND');
    const read = (await data(ada.as(mobileOperation('social/mark_notification_read'), { id: wine.id })))
      .markNotificationRead;
    expect(read).toMatchObject({ id: wine.id, status: 'READ', userId: ada.userId });
    expect(read.readAt).toEqual(expect.any(String));
    expect(await unread()).toBe(before - 1);

    const unreadOnly = (await data(ada.as(mobileOperation('social/notifications'), { unreadOnly: true })))
      .notifications;
    expect(unreadOnly.nodes.map((n: { id: string }) => n.id)).not.toContain(wine.id);

    expect(
      (await data(ada.as(mobileOperation('social/mark_all_notifications_read')))).markAllNotificationsRead,
    ).toBe(true);
    expect(await unread()).toBe(0);
    expect((await errorOf(harness.post(mobileOperation('social/unread_notification_count')))).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it("refuses a send to another club's member, or by a member, and bad input, changing nothing", async () => {
    await send(ada, 'Known member');
    const op = mobileOperation('social/create_notification');
    const input = { userId: outsider.userId, channel: 'IN_APP', title: 'Hello', body: 'Stranger' };
    expect((await errorOf(adminA.as(op, { input }))).code).toBe('FORBIDDEN');
    expect((await errorOf(ada.as(op, { input: { ...input, userId: ben.userId } }))).code).toBe('FORBIDDEN');
    const bad = await errorOf(adminA.as(op, { input: { ...input, userId: ada.userId, title: '  ' } }));
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
    const outsiderPage = (await data(outsider.as(mobileOperation('social/notifications')))).notifications;
    expect(outsiderPage.nodes.map((n: { title: string }) => n.title)).not.toContain('Hello');
  });

  it('emails through the channel, with the delivery status for the sender and the person', async () => {
    await send(ada, 'Warm-up');
    const { sendNotification } = await data(
      adminA.as(
        `mutation($input: SendNotificationInput!) { sendNotification(input: $input) { id channels deliveries { id channel status } } }`,
        { input: { userId: ada.userId, channel: 'EMAIL', title: 'Annual dinner', body: 'Black tie, 8 pm.' } },
      ),
    );
    expect(sendNotification.channels).toEqual(['IN_APP', 'EMAIL']);
    expect(sendNotification.deliveries).toEqual([
      { id: expect.any(String), channel: 'EMAIL', status: expect.any(String) },
    ]);
    const deliveryOf = async () =>
      (
        await data(
          ada.as(
            '{ notifications(pagination: { pageSize: 50 }) { nodes { id deliveries { status attempts sentAt } } } }',
          ),
        )
      ).notifications.nodes.find((n: { id: string }) => n.id === sendNotification.id).deliveries[0];
    await until(async () => (await deliveryOf()).status === 'SENT');
    expect(await deliveryOf()).toMatchObject({ status: 'SENT', attempts: 1, sentAt: expect.any(String) });
    const mail = (await readOutbox(harness.mailDir)).find(
      (m) => m.template === 'notification' && m.subject === 'Annual dinner',
    );
    expect(mail).toMatchObject({ to: ada.email });
    expect(mail!.text).toContain('Black tie, 8 pm.');
    // Its unsubscribe link works without signing in: the page asks, the POST (one-click too) does it.
    const link = new URL(String(mail!.data.unsubscribeUrl));
    expect(link.pathname).toBe('/notifications/unsubscribe');
    const asked = await harness.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('<form method="post"');
    const forged = await harness.app.inject({ method: 'POST', url: `${link.pathname}?token=forged` });
    expect(forged.statusCode).toBe(400);
    const done = await harness.app.inject({
      method: 'POST',
      url: `${link.pathname}${link.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Unsubscribed');
    const after = await data(
      adminA.as(`mutation($input: SendNotificationInput!) { sendNotification(input: $input) { channels } }`, {
        input: { userId: ada.userId, channel: 'EMAIL', title: 'Second dinner', body: 'Again.' },
      }),
    );
    expect(after.sendNotification.channels).toEqual(['IN_APP']);

    const retry = await errorOf(
      adminA.as('mutation($id: ID!) { retryNotificationDelivery(id: $id) { status } }', {
        id: sendNotification.deliveries[0].id,
      }),
    );
    expect(retry.code).toBe('CONFLICT');
  });

  it('manages templates and preferences', async () => {
    const template = (
      await data(
        adminA.as(
          `mutation($input: CreateNotificationTemplateInput!) { createNotificationTemplate(input: $input) { id clubId name channel variables isActive } }`,
          {
            input: {
              name: 'AGM',
              channel: 'EMAIL',
              bodyTemplate: 'The AGM is on {date}.',
              variables: ['date'],
            },
          },
        ),
      )
    ).createNotificationTemplate;
    expect(template).toMatchObject({
      clubId: clubA,
      name: 'AGM',
      channel: 'EMAIL',
      variables: ['date'],
      isActive: true,
    });
    const list = (await data(adminA.as('{ notificationTemplates { nodes { id } pageInfo { total } } }')))
      .notificationTemplates;
    expect(list.nodes.map((n: { id: string }) => n.id)).toContain(template.id);
    expect((await errorOf(ada.as('{ notificationTemplates { nodes { id } } }'))).code).toBe('FORBIDDEN');

    const prefs = (
      await data(
        ada.as(
          `mutation($input: UpdateNotificationPreferenceInput!) { updateNotificationPreferences(input: $input) { userId emailEnabled quietHoursEnabled quietHoursStart quietHoursEnd } }`,
          {
            input: {
              emailEnabled: false,
              quietHoursEnabled: true,
              quietHoursStart: '22:00',
              quietHoursEnd: '07:00',
            },
          },
        ),
      )
    ).updateNotificationPreferences;
    expect(prefs).toMatchObject({ userId: ada.userId, emailEnabled: false, quietHoursStart: '22:00' });
    expect(
      (await data(ada.as('{ notificationPreferences { emailEnabled inAppEnabled } }')))
        .notificationPreferences,
    ).toEqual({
      emailEnabled: false,
      inAppEnabled: true,
    });
  });
});
