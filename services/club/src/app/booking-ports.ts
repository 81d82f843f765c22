import type { Principal } from '@clubland/authz';
import type { Booker } from '../domain/booking-rules.ts';

/**
 * Who books, as the member service answers the caller (never its tables): the caller's own member
 * record at a club, or a member staff book for. Adapter: src/booking-directory.ts over MemberService.
 */
export interface BookingPeople {
  /** The caller at `clubId`; memberId null when they have no member record there. */
  self(principal: Principal, clubId: string): Promise<Booker>;
  /** A member of `clubId` by id, as the caller may read them; null when unknown or hidden. */
  member(principal: Principal, clubId: string, memberId: string): Promise<Booker | null>;
}
