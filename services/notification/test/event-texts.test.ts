import { ledgerEntryStatusChanged } from '@clubland/contract/events/ledger';
import { agreementStatusChanged } from '@clubland/contract/events/reciprocal';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClubBrands } from '../src/app/club-brands.ts';
import {
  bookingEvent,
  callerOf,
  eventually,
  type NotificationHarness,
  setupNotificationService,
} from './setup.ts';

/**
 * The texts of notifications caused by domain events: the domain's catalogue, in the member's
 * locale and time zone, naming the clubs. The member service's club registry is a FAKE here (a map
 * answering getClub as the RPC client does); the notification service is real.
 */
const names = new Map<string, string>();
const fakeRegistry = {
  calls: 0,
  async getClub({ id }: { id: string }) {
    fakeRegistry.calls++;
    const name = names.get(id);
    return { club: name ? { name, website: 'https://club.example' } : undefined };
  },
};

let h: NotificationHarness;
beforeEach(async () => {
  h = await setupNotificationService({ clubs: createClubBrands(fakeRegistry) });
}, 60_000);
afterEach(async () => {
  await h.close();
});

const inbox = async (principal: Parameters<typeof callerOf>[0]) =>
  (await h.client.listNotifications({ caller: callerOf(principal) })).notifications;

describe('texts of notifications from domain events', () => {
  it("reads in the member's locale and time zone, with the club's name", async () => {
    const club = h.newClub();
    names.set(club, 'Athenaeum');
    const ada = await h.person(club, 'MEMBER', 'ada@example.test');
    await eventually(async () => expect(await inbox(ada)).toHaveLength(1));
    // Set here on the column; from a member record it comes through member-contacts (its own test).
    await h.db.transaction((tx) =>
      tx.query(`UPDATE notification.recipients SET locale = 'fr-CA' WHERE user_id = $1`, [ada.userId]),
    );
    await h.client.updatePreferences({ caller: callerOf(ada), timezone: 'Europe/Paris' });
    await h.publish(
      bookingEvent(club, ada.userId, {
        from: null,
        to: 'REQUESTED',
        changedBy: ada.userId,
        paymentStatus: 'PENDING',
      }),
    );
    await eventually(async () => expect(await inbox(ada)).toHaveLength(2));
    const [booking] = await inbox(ada);
    expect(booking).toMatchObject({
      type: 'booking.status_changed',
      title: 'Réservation demandée : Court 2',
    });
    // 10:00 UTC is 11:00 in Paris; the club's name from the registry.
    expect(booking!.body).toContain('11:00');
    expect(booking!.body).toContain('Athenaeum');
    await h.deliverNow();
    const mail = h.email.sent.find((m) => m.subject === 'Réservation demandée : Court 2')!;
    expect(mail.html).toContain('Athenaeum');
    expect(mail.html).toContain('lang="fr"');
  });

  it("tells both clubs' admins of an agreement, each naming the other club; an unknown club reads neutrally", async () => {
    const proposer = h.newClub();
    const partner = h.newClub();
    const unknown = h.newClub();
    names.set(proposer, 'Athenaeum');
    names.set(partner, 'Boodles');
    const proposerAdmin = await h.person(proposer, 'CLUB_ADMIN');
    const partnerAdmin = await h.person(partner, 'CLUB_ADMIN');
    const unknownAdmin = await h.person(unknown, 'CLUB_ADMIN');
    await eventually(async () => expect(await inbox(unknownAdmin)).toHaveLength(1));
    const agreement = (from: string, to: 'ACTIVE', proposerClubId: string, partnerClubId: string) =>
      agreementStatusChanged.build({
        tenantId: null,
        correlationId: null,
        data: {
          agreementId: uuidv7(),
          proposerClubId,
          partnerClubId,
          from: from as 'APPROVED',
          to,
          reason: null,
          changedBy: null,
          changedAt: '2026-12-07T12:00:00.000Z',
          startsOn: '2027-01-01',
          endsOn: null,
        },
      });
    await h.publish(agreement('APPROVED', 'ACTIVE', proposer, partner), 2);
    await eventually(async () => expect(await inbox(partnerAdmin)).toHaveLength(2));
    await eventually(async () => expect(await inbox(proposerAdmin)).toHaveLength(2));
    expect((await inbox(proposerAdmin))[0]).toMatchObject({
      title: 'Reciprocal agreement with Boodles: in force',
      channels: ['IN_APP', 'EMAIL'],
    });
    expect((await inbox(partnerAdmin))[0]!.title).toBe('Reciprocal agreement with Athenaeum: in force');
    expect((await inbox(partnerAdmin))[0]!.body).toContain('between Boodles and Athenaeum');

    await h.publish(agreement('APPROVED', 'ACTIVE', unknown, partner));
    await eventually(async () => expect(await inbox(unknownAdmin)).toHaveLength(2));
    expect((await inbox(unknownAdmin))[0]!.body).toContain('between your club and Boodles');
  });

  it('spends no transaction on an event that changes nothing here; one that notifies is remembered once', async () => {
    const club = h.newClub();
    const admin = await h.person(club, 'CLUB_ADMIN');
    await eventually(async () => expect(await inbox(admin)).toHaveLength(1));
    const entry = (status: 'CONFIRMED' | 'FAILED') =>
      ledgerEntryStatusChanged.build({
        tenantId: club,
        correlationId: null,
        data: {
          entryId: uuidv7(),
          entityKind: 'visit',
          entityId: uuidv7(),
          clubId: club,
          counterpartyClubId: null,
          status,
          blockNumber: status === 'CONFIRMED' ? 7 : null,
          error: status === 'FAILED' ? 'refused by the ledger' : null,
          at: '2026-12-07T12:00:00.000Z',
        },
      });
    const processed = async (eventId: string) =>
      (
        await h.db.asOwner((tx) =>
          tx.query('SELECT 1 FROM notification.processed_events WHERE event_id = $1', [eventId]),
        )
      ).rows.length;
    const confirmed = entry('CONFIRMED');
    const failed = entry('FAILED');
    await h.publish(confirmed, 2);
    await h.publish(failed, 2);
    // The club's admin hears of the failure, once; the confirmation is nobody's news.
    await eventually(async () => expect(await inbox(admin)).toHaveLength(2));
    expect(await processed(failed.id)).toBe(1);
    expect(await processed(confirmed.id)).toBe(0);
  });
});
