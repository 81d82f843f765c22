import type { Principal } from '@clubland/authz';
import type { Db } from '@clubland/db';

/** What the analytics service's use cases need from the world, passed in explicitly. */
export interface AnalyticsDeps {
  db: Db;
  /** Clubs' time zones, from the member service's directory (club-time-zones.ts); never its tables. */
  timeZones: ClubTimeZones;
}

/** Per-call facts: who asks, under which correlation id, and the clock. */
export interface UseCaseContext {
  /** The caller as the gateway read it from the verified token; null for anonymous calls. */
  principal: Principal | null;
  correlationId: string | null;
  clock: () => Date;
}

/** A club's IANA time zone; null when the member service does not know the club. */
export interface ClubTimeZones {
  of(clubId: string): Promise<string | null>;
}

export const ANALYTICS_SCHEMA = 'analytics';
