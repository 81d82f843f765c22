import type { Principal, RoleGrant } from '@clubland/authz';
import type { Db } from '@clubland/db';
import type { MemberCache } from './member-cache.ts';

/** What the member service's use cases need from the world, passed in explicitly. */
export interface MemberDeps {
  db: Db;
  /** Members by id for display reads; every use case that writes a member forgets it after. */
  memberCache: MemberCache;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
  /** How long a membership card is valid after issue (the app refreshes its QR code before). */
  cardTtlSeconds: number;
  /** Accounts, as the auth service describes them (account-directory.ts); this service never reads auth's tables. */
  accounts: AccountDirectory;
}

/** An account as a club's member record needs it: its home club, roles now, and tie to the club. */
export interface AccountAtClub {
  homeClubId: string | null;
  grants: RoleGrant[];
  /** Home club, a role there, or an accepted invitation to it: the club may link a record to it. */
  belongsToClub: boolean;
}

/** The auth service's DescribeAccount, as this service sees it. */
export interface AccountDirectory {
  /** Null for an unknown account. */
  describe(userId: string, clubId: string): Promise<AccountAtClub | null>;
}

/** Per-call facts: who asks, under which correlation id, and the clock and ids to use. */
export interface UseCaseContext {
  /** The caller as the gateway read it from the verified token; null for anonymous calls. */
  principal: Principal | null;
  correlationId: string | null;
  clock: () => Date;
  newId: () => string;
}

export const MEMBER_SCHEMA = 'member';
export const DEFAULT_CARD_TTL_SECONDS = 300;
