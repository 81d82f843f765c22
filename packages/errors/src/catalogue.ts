/**
 * The one error catalogue. Every code the system can raise is listed here once, with how
 * each edge speaks it: GraphQL `extensions.code`, the Connect/gRPC code name, the HTTP status.
 * Services add their codes here, never as free strings elsewhere.
 */
export const catalogue = {
  'request.unauthenticated': { graphql: 'UNAUTHENTICATED', grpc: 'unauthenticated', http: 401 },
  'request.forbidden': { graphql: 'FORBIDDEN', grpc: 'permission_denied', http: 403 },
  'request.invalid_input': { graphql: 'BAD_USER_INPUT', grpc: 'invalid_argument', http: 400 },
  'request.rate_limited': { graphql: 'RATE_LIMITED', grpc: 'resource_exhausted', http: 429 },
  'request.timeout': { graphql: 'TIMEOUT', grpc: 'deadline_exceeded', http: 504 },
  'entity.not_found': { graphql: 'NOT_FOUND', grpc: 'not_found', http: 404 },
  'entity.conflict': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  'club.not_found': { graphql: 'NOT_FOUND', grpc: 'not_found', http: 404 },
  // Issue 9: a taken slug is a bad value in a form field the admin can fix, so BAD_USER_INPUT with the field.
  'club.slug_taken': { graphql: 'BAD_USER_INPUT', grpc: 'already_exists', http: 400 },
  'member.number_taken': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  // An illegal lifecycle transition (src/domain/member-lifecycle.ts of the member service); nothing changed.
  'member.transition_refused': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // Cards are issued to ACTIVE members only.
  'member.not_active': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // The client answers with completeMfaLogin(mfaToken, code); the token is safe to show.
  'auth.mfa_required': {
    graphql: 'MFA_REQUIRED',
    grpc: 'failed_precondition',
    http: 401,
    expose: ['mfaToken'],
  },
  'auth.mfa_token_invalid': { graphql: 'UNAUTHENTICATED', grpc: 'unauthenticated', http: 401 },
  'auth.mfa_code_invalid': {
    graphql: 'UNAUTHENTICATED',
    grpc: 'unauthenticated',
    http: 401,
    expose: ['attemptsLeft'],
  },
  // A valid Hanko token with no local account to link: we cannot know a stranger's home club.
  'auth.hanko_user_unknown': { graphql: 'BAD_USER_INPUT', grpc: 'failed_precondition', http: 400 },
  // Same code and message for an unknown email and a wrong password (no account enumeration).
  'auth.invalid_credentials': { graphql: 'UNAUTHENTICATED', grpc: 'unauthenticated', http: 401 },
  // A used refresh token came back: its whole session was revoked.
  'auth.token_reused': { graphql: 'UNAUTHENTICATED', grpc: 'unauthenticated', http: 401 },
  // A genuine access token minted before the account's roles or status changed (revokeRole,
  // suspension): the client refreshes it and gets the current roles. `reason: TOKEN_OUTDATED`.
  'auth.token_outdated': {
    graphql: 'UNAUTHENTICATED',
    grpc: 'unauthenticated',
    http: 401,
    expose: ['reason'],
  },
  // A refresh token of a session that had ended; `reason` says why: logout, password_reset,
  // token_reused (another of its tokens was used twice) or account_disabled (an administrator).
  'auth.session_closed': {
    graphql: 'UNAUTHENTICATED',
    grpc: 'unauthenticated',
    http: 401,
    expose: ['reason'],
  },
  'auth.account_disabled': { graphql: 'FORBIDDEN', grpc: 'permission_denied', http: 403 },
  'auth.email_taken': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  'auth.username_taken': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  // An illegal visit transition (services/reciprocal/src/domain/visit-lifecycle.ts); nothing changed.
  'visit.transition_refused': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // Letters of introduction (services/reciprocal/src/domain/letter-lifecycle.ts): an illegal move; nothing changed.
  'letter.transition_refused': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // A second open letter (PENDING or APPROVED) for the same member and host.
  'letter.already_open': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  // Letters are issued for ACTIVE members of ACTIVE clubs only.
  'letter.member_not_active': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  'letter.club_not_active': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  'agreement.transition_refused': {
    graphql: 'CONFLICT',
    grpc: 'failed_precondition',
    http: 409,
    expose: ['from', 'to'],
  },
  'agreement.not_your_decision': { graphql: 'FORBIDDEN', grpc: 'permission_denied', http: 403 },
  'agreement.already_live': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  'agreement.partner_not_active': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // The front desk (reciprocal service): a visit refused, with every reason that applies
  // (RefusalReason in contract/proto/clubland/reciprocal/v1/visits.proto); nothing was written.
  'visit.refused': { graphql: 'VISIT_REFUSED', grpc: 'failed_precondition', http: 409, expose: ['reasons'] },
  // Nobody the identification names (an unknown member, or a card that fails: `reason` says how).
  'visit.visitor_unknown': { graphql: 'NOT_FOUND', grpc: 'not_found', http: 404, expose: ['reason'] },
  // A visit code that is forged, expired, unreadable, or for another host.
  'visit.code_invalid': {
    graphql: 'BAD_USER_INPUT',
    grpc: 'invalid_argument',
    http: 400,
    expose: ['reason'],
  },
  // The member is checked in already (at this club or another): one open visit at a time.
  'visit.already_checked_in': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // Settlement (services/reciprocal/src/domain/settlement.ts): a period opened twice or closed twice.
  'settlement.period_exists': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  'settlement.period_not_open': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // A line contested after the dispute window (14 days after issue) closed; nothing changed.
  'settlement.dispute_window_closed': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // Only visit lines are contested, once each; a dispute is resolved once, by the other club.
  'settlement.line_not_disputable': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  'settlement.line_disputed': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  'settlement.dispute_resolved': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  'settlement.own_dispute': { graphql: 'FORBIDDEN', grpc: 'permission_denied', http: 403 },
  // An adjustment that gives back more than the line charged, or is not whole minor units.
  'settlement.adjustment_refused': { graphql: 'BAD_USER_INPUT', grpc: 'invalid_argument', http: 400 },
  // Facilities (services/club): a facility with bookings open from now on is not deleted; their count says how many.
  'facility.has_future_bookings': {
    graphql: 'CONFLICT',
    grpc: 'failed_precondition',
    http: 409,
    expose: ['futureBookings'],
  },
  // A booking refused (services/club/src/domain/booking-rules.ts BookingRefusal): every reason that
  // applies, in `reasons`; nothing was written.
  'booking.refused': {
    graphql: 'BOOKING_REFUSED',
    grpc: 'failed_precondition',
    http: 409,
    expose: ['reasons'],
  },
  // An illegal booking transition (services/club/src/domain/booking-lifecycle.ts); nothing changed.
  'booking.transition_refused': {
    graphql: 'CONFLICT',
    grpc: 'failed_precondition',
    http: 409,
    expose: ['from', 'to'],
  },
  // The member waits for that range already.
  'booking.already_waiting': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  'dependency.unavailable': { graphql: 'SERVICE_UNAVAILABLE', grpc: 'unavailable', http: 503 },
  internal: { graphql: 'INTERNAL_SERVER_ERROR', grpc: 'internal', http: 500 },
  // Club events (services/club): a cancelled or finished event changes no more; capacity below the seats taken.
  'event.closed': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  'event.capacity_below_seats': { graphql: 'BAD_USER_INPUT', grpc: 'invalid_argument', http: 400 },
  // An RSVP refused with every reason (services/club/src/domain/rsvp-eligibility.ts); nothing written.
  'rsvp.refused': { graphql: 'RSVP_REFUSED', grpc: 'failed_precondition', http: 409, expose: ['reasons'] },
  'rsvp.transition_refused': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // A seated RSVP asking for more seats than are free keeps its seats; nothing changed.
  'rsvp.no_seats': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // Governance (services/governance): a refused proposal transition; a vote outside its proposal's
  // window; a club's second vote (updateVote changes it); a vote of a club not ACTIVE in the network.
  'proposal.transition_refused': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  'vote.not_open': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  'vote.already_cast': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  'vote.club_not_active': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
  // A policy already (in)active, deleted once activated, or acknowledged while not in force.
  'policy.transition_refused': { graphql: 'CONFLICT', grpc: 'failed_precondition', http: 409 },
} as const satisfies Record<string, CatalogueEntry>;

interface CatalogueEntry {
  graphql: string;
  grpc: GrpcCodeName;
  http: number;
  /** Details keys a client may see besides `field` and `retryAfterSeconds` (never secrets of others). */
  expose?: readonly string[];
}

/** The details of an error that may leave the system, by its catalogue entry. */
export function exposedDetails(
  code: ErrorCode,
  details: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const entry: CatalogueEntry = catalogue[code];
  const exposed: Record<string, unknown> = {};
  for (const key of entry.expose ?? []) {
    if (details[key] !== undefined) exposed[key] = details[key];
  }
  return exposed;
}

export type ErrorCode = keyof typeof catalogue;

export type GrpcCodeName =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'permission_denied'
  | 'unauthenticated'
  | 'resource_exhausted'
  | 'failed_precondition'
  | 'deadline_exceeded'
  | 'unavailable'
  | 'internal';

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(catalogue, value);
}
