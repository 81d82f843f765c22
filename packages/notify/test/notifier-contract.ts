import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationMessage, Notifier } from '../src/notifier.ts';

export interface NotifierUnderTest {
  notifier: Notifier;
  /** What the adapter delivered, oldest first, as the far side sees it. */
  delivered(): Promise<NotificationMessage[]>;
  cleanup(): Promise<void>;
}

const welcome: NotificationMessage = {
  to: 'ada@example.com',
  channel: 'email',
  template: 'auth.verify-email',
  subject: 'Confirm your email',
  text: 'Open https://example.com/verify?token=abc to confirm.',
  data: { link: 'https://example.com/verify?token=abc', nested: { n: 1 } },
};

/** The behaviour every Notifier adapter owes its callers. */
export function describeNotifierContract(name: string, open: () => Promise<NotifierUnderTest>): void {
  describe(`notifier contract: ${name}`, () => {
    let subject: NotifierUnderTest | undefined;
    afterEach(async () => {
      await subject?.cleanup();
      subject = undefined;
    });

    it('delivers a message with every field intact', async () => {
      subject = await open();
      await subject.notifier.send(welcome);
      const delivered = await subject.delivered();
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject(welcome);
    });

    it('delivers several messages in the order they were sent', async () => {
      subject = await open();
      for (const to of ['a@example.com', 'b@example.com', 'c@example.com']) {
        await subject.notifier.send({ ...welcome, to });
      }
      expect((await subject.delivered()).map((message) => message.to)).toEqual([
        'a@example.com',
        'b@example.com',
        'c@example.com',
      ]);
    });
  });
}
