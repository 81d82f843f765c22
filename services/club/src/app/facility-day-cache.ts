import { type Bus, forgetOnEvents, type Subscription } from '@clubland/bus';
import { createReadThroughCache } from '@clubland/cache';
import { bookingStatusChanged } from '@clubland/contract/events/booking';
import { facilityDeleted, facilityUpdated } from '@clubland/contract/events/facility';
import type { HeldRange } from '../domain/availability.ts';
import type { Closure } from '../domain/facility.ts';
import type { FacilityRow } from '../store/facility-queries.ts';

/**
 * What a facility's availability on one day is computed from: the facility, its closures over the
 * day and the bookings holding its units around it (as far as any buffer reaches).
 */
export interface FacilityDay {
  facility: FacilityRow;
  closures: readonly Closure[];
  held: readonly HeldRange[];
}

/**
 * Facility days read for availability, kept in this process for `ttlMs`: the booking screen asks
 * the same facility and day again and again, and bookings change far less often. Only
 * `availableSlots` for a member of the club reads through it (a visitor's access is read in the
 * transaction); a booking itself is checked in its own transaction, against the table, whose
 * exclusion constraint refuses any overlap: a stale answer can offer a slot just taken, never
 * double-book it.
 *
 * Freshness: every use case that writes a booking, a closure or a facility forgets that facility
 * after its commit, so this process reads its own writes at once; other instances forget when the
 * write's event reaches them (`forgetOnFacilityEvents`), and the TTL bounds staleness if it is lost
 * (a day past it is answered once more while it reloads).
 */
export interface FacilityDayCache {
  read(clubId: string, facilityId: string, date: string): Promise<FacilityDay | undefined>;
  /** Drops every day of the facility held here, and any read of one in flight. */
  forget(facilityId: string): void;
}

export const DEFAULT_FACILITY_DAY_TTL_MS = 10_000;

/**
 * Bounds of the index of days read per facility (any valid date may be asked for). Past either,
 * what it indexes is forgotten and it starts again; a read in flight at that moment may then be
 * kept unindexed, and lives at most its TTL.
 */
const MAX_INDEXED_FACILITIES = 10_000;
const MAX_INDEXED_DAYS = 1_000;

export function createFacilityDayCache(options: {
  ttlMs: number;
  max?: number;
  load: (clubId: string, facilityId: string, date: string) => Promise<FacilityDay | undefined>;
}): FacilityDayCache {
  const days = createReadThroughCache<FacilityDay>({
    ttlMs: options.ttlMs,
    max: options.max ?? 5_000,
    // The booking screen's days are hot: an expiry reloads behind the answer, not in front of it.
    serveStaleWhileReloading: true,
    load: (key) => {
      const [clubId, facilityId, date] = key.split('/') as [string, string, string];
      return options.load(clubId, facilityId, date);
    },
  });
  // The keys read per facility, so forgetting a facility reaches all its days.
  const keysOf = new Map<string, Set<string>>();
  return {
    read(clubId, facilityId, date) {
      const key = `${clubId}/${facilityId}/${date}`;
      let keys = keysOf.get(facilityId);
      if (keys && keys.size >= MAX_INDEXED_DAYS && !keys.has(key)) {
        for (const old of keys) days.forget(old);
        keys.clear();
      }
      if (!keys) {
        if (keysOf.size >= MAX_INDEXED_FACILITIES) forgetAll();
        keys = new Set();
        keysOf.set(facilityId, keys);
      }
      keys.add(key);
      return days.get(key);
    },
    forget(facilityId) {
      // The keys stay indexed: a read in flight now is retried by the cache and kept under its key,
      // and the next forget must still reach it.
      for (const key of keysOf.get(facilityId) ?? []) days.forget(key);
    },
  };

  function forgetAll(): void {
    for (const keys of keysOf.values()) for (const key of keys) days.forget(key);
    keysOf.clear();
  }
}

const FACILITY_WRITES = [bookingStatusChanged.type, facilityUpdated.type, facilityDeleted.type];

/**
 * Forgets facilities written by any instance (a booking made or moved through its lifecycle, a
 * closure, new settings, a deletion), as their events arrive; this process's own consumer.
 */
export function forgetOnFacilityEvents(
  bus: Bus,
  cache: FacilityDayCache,
  instanceId: string,
): Promise<Subscription> {
  return forgetOnEvents(bus, {
    name: 'facility-days',
    instanceId,
    types: FACILITY_WRITES,
    forget: ({ facilityId }) => {
      if (typeof facilityId === 'string') cache.forget(facilityId);
    },
  });
}
