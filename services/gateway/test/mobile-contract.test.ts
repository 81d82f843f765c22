import { readdirSync, readFileSync } from 'node:fs';
import { loadSchemaSdl } from '@clubland/contract/graphql';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * The mobile client's 79 operations against the schema we serve. Operations of domains that have
 * landed must validate; the others are reported, not stubbed. Add a domain's operations to
 * LANDED when its issue lands.
 */
const LANDED: readonly string[] = [
  'auth/',
  'profile/',
  // Clubs and members (the member service). clubs/check_in.graphql is a visit: reciprocal domain.
  'clubs/club.graphql',
  'clubs/featured_clubs.graphql',
  'clubs/get_all_clubs.graphql',
  'clubs/get_club_reviews.graphql',
  'clubs/my_club.graphql',
  'clubs/search_clubs.graphql',
  'clubs/toggle_favorite.graphql',
  'bookings/member.graphql',
  'bookings/members.graphql',
  'bookings/create_member.graphql',
  'bookings/update_member.graphql',
  // Visits (the reciprocal service).
  'bookings/record_visit.graphql',
  'bookings/checkout_visit.graphql',
  'bookings/visits.graphql',
  'bookings/my_visits.graphql',
  'clubs/check_in.graphql',
  'subscriptions/visit_status_changed.graphql',
  // The ledger (services/ledger).
  'subscriptions/transaction_status_changed.graphql',
  // Reciprocal agreements (the reciprocal service).
  'reciprocal/',
  // Club events and RSVPs (the club service).
  'events/',
  // Facilities and availability (the club service).
  'facilities/',
  'bookings/available_slots.graphql',
  'bookings/check_availability.graphql',
  // Facility bookings (the club service).
  'bookings/booking.graphql',
  'bookings/bookings.graphql',
  'bookings/my_bookings.graphql',
  'bookings/upcoming_bookings.graphql',
  'bookings/create_booking.graphql',
  'bookings/update_booking.graphql',
  'bookings/cancel_booking.graphql',
  'bookings/confirm_booking.graphql',
  'bookings/check_in_booking.graphql',
  'bookings/check_out_booking.graphql',
  'bookings/booking_statistics.graphql',
  'bookings/booking_updates.graphql',
  'subscriptions/booking_updates.graphql',
  // Notifications (the notification service).
  'social/create_notification.graphql',
  'social/mark_all_notifications_read.graphql',
  'social/mark_notification_read.graphql',
  'social/notification_received.graphql',
  'social/notifications.graphql',
  'social/unread_notification_count.graphql',
  'subscriptions/notification_received.graphql',
  // Network governance (the governance service).
  'governance/',
  'subscriptions/proposal_updated.graphql',
  'subscriptions/vote_received.graphql',
  // A club's (or the network's) figures (the analytics service).
  'analytics/',
];

const operationsDir = new URL('../../../contract/mobile-client/operations/', import.meta.url);

function operations(): { name: string; source: string }[] {
  return readdirSync(operationsDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((name) => ({ name, source: readFileSync(new URL(name, operationsDir), 'utf8') }));
}

describe("the mobile client's operations", () => {
  const schema = buildSchema(loadSchemaSdl());
  const results = operations().map(({ name, source }) => ({
    name,
    errors: validate(schema, parse(source)).map((error) => error.message),
  }));

  it('are all 79 present', () => {
    expect(results).toHaveLength(79);
  });

  it('validate against the served schema for every landed domain, and the count is reported', () => {
    const passing = results.filter((result) => result.errors.length === 0);
    const failing = results.filter((result) => result.errors.length > 0);
    console.info(
      `mobile contract: ${passing.length} of ${results.length} operations validate against the served schema\n` +
        failing.map((result) => `  not yet: ${result.name} (${result.errors[0]})`).join('\n'),
    );
    const landedFailures = failing.filter((result) =>
      LANDED.some((prefix) => result.name.startsWith(prefix)),
    );
    expect(landedFailures).toEqual([]);
  });
});
