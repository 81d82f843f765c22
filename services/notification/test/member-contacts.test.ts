import type { EventEnvelope } from '@clubland/bus';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callerOf,
  type MemberServiceHarness,
  principalWith,
  setupMemberService,
} from '../../member/test/setup.ts';
import { createMemberContacts } from '../src/app/member-contacts.ts';
import { eventually, type NotificationHarness, setupNotificationService } from './setup.ts';

/**
 * A member's phone and language reach the notification service from the real member service: its
 * events (taken from its bus as it published them) name what changed, and the notification
 * service asks it, over its real RPC client, for the values.
 */
let members: MemberServiceHarness;
let h: NotificationHarness;
beforeEach(async () => {
  members = await setupMemberService();
  h = await setupNotificationService({ contacts: createMemberContacts(members.members) });
}, 60_000);
afterEach(async () => {
  await h.close();
  await members.close();
});

/** The member service's next event of `type` about `memberId`, handed to the notification service. */
const relayed = new Set<string>();
async function relay(type: string, memberId: string): Promise<void> {
  let event: EventEnvelope | undefined;
  await eventually(() => {
    event = members.published.find(
      (e) => e.type === type && (e.data as { memberId?: string }).memberId === memberId && !relayed.has(e.id),
    );
    expect(event).toBeDefined();
  });
  relayed.add(event!.id);
  await h.publish(event!);
}

const contactOf = async (userId: string) =>
  (
    await h.db.asOwner((tx) =>
      tx.query<{ phone: string | null; locale: string }>(
        'SELECT phone, locale FROM notification.recipients WHERE user_id = $1',
        [userId],
      ),
    )
  ).rows[0];

describe("a member's phone and language", () => {
  it('come from the member record as it is created, changed and erased; texts follow the language', async () => {
    const club = await members.seedClub('Cercle de l’Union');
    const ada = await members.account(club);
    const admin = callerOf(principalWith('CLUB_ADMIN', club));
    const { member } = await members.members.createMember({
      caller: admin,
      userId: ada.userId,
      memberNumber: 'U-0001',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.org',
      phone: '+33 1 23 45 67 89',
      membershipType: 'regular',
      preferences: { preferredLanguage: 'fr' },
    });
    const memberId = member!.id;
    await relay('member.created', memberId);
    await eventually(async () =>
      expect(await contactOf(ada.userId)).toEqual({ phone: '+33123456789', locale: 'fr' }),
    );
    // The welcome is written in her language.
    await eventually(async () => {
      const { notifications } = await h.client.listNotifications({ caller: callerOf(ada) });
      expect(notifications.map((n) => n.title)).toEqual([expect.stringMatching(/^Bienvenue/)]);
    });

    // A number without its country code is no SMS number; the language follows her choice.
    await members.members.updateMember({
      caller: admin,
      clubId: club,
      id: memberId,
      phone: '01 23 45 67 89',
      preferences: { preferredLanguage: 'en-GB' },
    });
    await relay('member.updated', memberId);
    await eventually(async () =>
      expect(await contactOf(ada.userId)).toEqual({ phone: null, locale: 'en-GB' }),
    );

    await members.members.updateMember({
      caller: admin,
      clubId: club,
      id: memberId,
      phone: '+44 20 7946 0000',
    });
    await relay('member.updated', memberId);
    await eventually(async () =>
      expect(await contactOf(ada.userId)).toEqual({ phone: '+442079460000', locale: 'en-GB' }),
    );

    // Erased: the number goes with the record.
    await members.members.eraseMember({ caller: admin, clubId: club, memberId, reason: 'asked to' });
    await relay('member.erased', memberId);
    await eventually(async () => expect(await contactOf(ada.userId)).toEqual({ phone: null, locale: 'en' }));
  });
});
