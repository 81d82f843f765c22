import type { JsonWebKey } from 'node:crypto';
import type { Principal } from '@clubland/authz';
import type { Db } from '@clubland/db';
import type { Notifier } from '@clubland/notify';
import type { Logger } from 'pino';

/** What the reciprocal service's use cases need from the world, passed in explicitly. */
export interface ReciprocalDeps {
  db: Db;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
  /** Clubs as the member service describes them (club-directory.ts); never its tables. */
  clubs: ClubFacts;
  /** Visitors as the member service projects them (visitor-directory.ts); never its records. */
  visitors: VisitorDirectory;
  /** The key that signs visit codes, shared by every instance through this schema (visit-codes.ts). */
  visitCodeKeys: VisitCodeKeys;
  /** Lifetime of a visit code; default 120 s (domain/visit-code.ts). */
  visitCodeTtlSeconds?: number;
  /** Members as the member service answers the caller (member-directory.ts); never its tables. */
  members: MemberDirectory;
  /** Letters delivered by email (the notification port; the file notifier in the all-in-one). */
  notifier: Notifier;
  log: Logger;
}

/** A member record as letters of introduction need it, read by the member service for a caller. */
export interface MemberFact {
  id: string;
  clubId: string;
  /** The linked account; null when none. */
  userId: string | null;
  status: 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'EXPIRED' | 'INACTIVE';
  firstName: string;
  lastName: string;
  /** '' when unknown or erased. */
  email: string;
}

export interface MemberDirectory {
  /**
   * The member `memberId` of `clubId`, asked of the member service as `principal`, so its own
   * access rules apply (staff read their roster, a member their own record). Null when the member
   * service says NOT_FOUND (unknown, or not the caller's to see); a refusal (FORBIDDEN) propagates.
   */
  find(principal: Principal, clubId: string, memberId: string): Promise<MemberFact | null>;
}

/** A club as agreements and the front desk need it. */
export interface ClubFact {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
  latitude: number | null;
  longitude: number | null;
  /** The address's city, for the residents rule; '' when unknown. */
  city: string;
  /** IANA time zone: the host's calendar decides a visit's day. */
  timezone: string;
  currency: string;
}

export interface ClubFacts {
  /** The clubs by id; unknown ids are absent. */
  describe(ids: readonly string[]): Promise<Map<string, ClubFact>>;
}

/** How the desk (or the member) says who the visitor is. */
export type VisitorIdentification =
  | { by: 'card'; token: string }
  | { by: 'number'; homeClubId: string; memberNumber: string }
  | { by: 'member'; homeClubId: string | null; memberId: string }
  | { by: 'self' };

/** What the host may know of a visitor (the member service's projection); no other field exists. */
export interface Visitor {
  memberId: string;
  homeClubId: string;
  homeClubName: string;
  firstName: string;
  lastName: string;
  photoUrl: string;
  membershipType: string;
  /** The member's status at home: ACTIVE, SUSPENDED, ... */
  standing: string;
  memberNumber: string;
  /** The member's account, when linked: the visit's owner. */
  userId: string | null;
  /** Computed by the member service; the host never sees the address. */
  livesInHostCity: boolean;
}

export type VisitorLookup =
  /** Nobody: not_found, or the card's failure (malformed, bad_signature, expired, unknown_key, not_active). */
  | { found: false; failure: string }
  /** The home club holds no ACTIVE agreement with the host, as the member service knows it. */
  | { found: true; homeClubId: string; isAgreementActive: false }
  | { found: true; homeClubId: string; isAgreementActive: true; visitor: Visitor };

/** The member service's DescribeVisitor, as this service sees it. */
export interface VisitorDirectory {
  /** Asked as the caller, so the member service applies its own rule (desk or the member themself). */
  describe(
    principal: Principal,
    request: { hostClubId: string; identification: VisitorIdentification; hostCity: string },
  ): Promise<VisitorLookup>;
}

/** The visit-code signing key, created on first use and kept in the reciprocal schema. */
export interface VisitCodeKeys {
  /** The current key pair (created if none). */
  current(now: Date, newId: () => string): Promise<{ kid: string; privateKey: string }>;
  /** Every public key (JWK), for verification; read afresh when `kid` is not among them. */
  publicKeys(kid?: string): Promise<JsonWebKey[]>;
}

/** Per-call facts: who asks, under which correlation id, and the clock and ids to use. */
export interface UseCaseContext {
  /** The caller as the gateway read it from the verified token; null for anonymous calls. */
  principal: Principal | null;
  correlationId: string | null;
  clock: () => Date;
  newId: () => string;
}

export const RECIPROCAL_SCHEMA = 'reciprocal';
