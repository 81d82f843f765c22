import { create } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  type Closure,
  ClosureSchema,
  type Facility,
  FacilitySchema,
  FacilityService,
  type FacilitySettings,
} from '@clubland/contract/club/v1/facilities';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { isUuid, notFound } from '@clubland/errors';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { ClubOpsDeps, UseCaseContext } from './app/deps.ts';
import { availableSlots, checkAvailability } from './app/facility-availability.ts';
import { addClosure, removeClosure } from './app/facility-closures.ts';
import { getFacilities, listClosures, listFacilities } from './app/get-facilities.ts';
import { createFacility, deleteFacility, updateFacility } from './app/manage-facilities.ts';
import type { OpeningHours } from './domain/facility.ts';
import type { FacilityPatch } from './domain/facility-settings.ts';
import type { ClosureRow, FacilityRow } from './store/facility-queries.ts';

const MAX_BATCH = 500;

/** A well-formed id, lower-cased; anything else names no facility (NOT_FOUND, as an unknown one). */
function knownId(id: string, what = 'facility'): string {
  if (!isUuid(id)) throw notFound(what, id);
  return id.toLowerCase();
}

const dateOf = (timestamp: Timestamp | undefined) => (timestamp ? timestampDate(timestamp) : null);

export function registerFacilityRpc(
  router: ConnectRouter,
  deps: ClubOpsDeps,
  contextOf: (handler: HandlerContext, caller?: CallerContext) => UseCaseContext,
): void {
  router.service(FacilityService, {
    async getFacilities(request, handler) {
      const ids = request.ids
        .slice(0, MAX_BATCH)
        .filter((id) => isUuid(id))
        .map((id) => id.toLowerCase());
      const rows = await getFacilities(deps, contextOf(handler, request.caller), ids);
      return { facilities: rows.map(facilityMessage) };
    },
    async listFacilities(request, handler) {
      const page = await listFacilities(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        facilityType: request.facilityType,
        isActive: request.isActive ?? null,
        page: request.page,
        pageSize: request.pageSize,
      });
      return { ...page, facilities: page.facilities.map(facilityMessage) };
    },
    async createFacility(request, handler) {
      const row = await createFacility(deps, contextOf(handler, request.caller), {
        clubId: request.clubId,
        settings: patchOf(request.settings),
      });
      return { facility: facilityMessage(row) };
    },
    async updateFacility(request, handler) {
      const row = await updateFacility(deps, contextOf(handler, request.caller), {
        id: knownId(request.id),
        settings: patchOf(request.settings),
      });
      return { facility: facilityMessage(row) };
    },
    async deleteFacility(request, handler) {
      await deleteFacility(deps, contextOf(handler, request.caller), knownId(request.id));
      return { deleted: true };
    },
    async addClosure(request, handler) {
      const row = await addClosure(deps, contextOf(handler, request.caller), {
        facilityId: knownId(request.facilityId),
        kind: request.kind,
        startsAt: dateOf(request.startsAt),
        endsAt: dateOf(request.endsAt),
        reason: request.reason,
      });
      return { closure: closureMessage(row) };
    },
    async removeClosure(request, handler) {
      await removeClosure(deps, contextOf(handler, request.caller), {
        facilityId: knownId(request.facilityId),
        closureId: knownId(request.closureId, 'closure'),
      });
      return { removed: true };
    },
    async listClosures(request, handler) {
      const rows = await listClosures(deps, contextOf(handler, request.caller), {
        facilityId: knownId(request.facilityId),
        from: dateOf(request.from),
        to: dateOf(request.to),
      });
      return { closures: rows.map(closureMessage) };
    },
    async availableSlots(request, handler) {
      const { slots, timezone } = await availableSlots(deps, contextOf(handler, request.caller), {
        facilityId: knownId(request.facilityId),
        date: request.date,
        slotMinutes: request.slotMinutes,
      });
      return {
        timezone,
        slots: slots.map((slot) => ({
          start: timestampFromDate(slot.start),
          end: timestampFromDate(slot.end),
          available: slot.available,
          reason: slot.reason ?? '',
        })),
      };
    },
    async checkAvailability(request, handler) {
      const check = await checkAvailability(deps, contextOf(handler, request.caller), {
        facilityId: knownId(request.facilityId),
        start: dateOf(request.start),
        end: dateOf(request.end),
        excludeBookingId: isUuid(request.excludeBookingId) ? request.excludeBookingId.toLowerCase() : null,
      });
      return { available: check.ok, reasons: check.ok ? [] : check.reasons };
    },
  });
}

/** The settings a message sets; unset fields stay undefined (kept, or defaulted on create). */
function patchOf(settings: FacilitySettings | undefined): FacilityPatch {
  if (!settings) return {};
  return {
    name: settings.name,
    description: settings.description === undefined ? undefined : settings.description || null,
    facilityType: settings.facilityType as FacilityPatch['facilityType'],
    status: settings.status as FacilityPatch['status'],
    capacity: settings.capacity,
    openingHours: settings.openingHours?.hours.map(
      (hours): OpeningHours => ({
        day: hours.day as OpeningHours['day'],
        opens: hours.opens,
        closes: hours.closes,
      }),
    ),
    slotMinutes: settings.slotMinutes,
    minBookingMinutes: settings.minBookingMinutes,
    maxBookingMinutes: settings.maxBookingMinutes,
    bufferMinutes: settings.bufferMinutes,
    advanceBookingDays: settings.advanceBookingDays,
    cancellationDeadlineHours: settings.cancellationDeadlineHours,
    cancellationFee: settings.cancellationFee === undefined ? undefined : Number(settings.cancellationFee),
    allowedMembershipTypes: settings.allowedMembershipTypes?.values,
    allowsReciprocalVisitors: settings.allowsReciprocalVisitors,
    maxOpenBookingsPerMember: settings.clearMaxOpenBookingsPerMember
      ? null
      : settings.maxOpenBookingsPerMember,
    maxBookingsPerWeek: settings.clearMaxBookingsPerWeek ? null : settings.maxBookingsPerWeek,
    amenities: settings.amenities?.values,
    location: settings.location === undefined ? undefined : settings.location || null,
    images: settings.images?.values,
    requiresApproval: settings.requiresApproval,
  };
}

/** Output guard: exactly the message's fields. */
function facilityMessage(row: FacilityRow): Facility {
  return create(FacilitySchema, {
    id: row.id,
    clubId: row.clubId,
    name: row.name,
    description: row.description ?? '',
    facilityType: row.facilityType,
    status: row.status,
    capacity: row.capacity,
    openingHours: row.openingHours.map(({ day, opens, closes }) => ({ day, opens, closes })),
    slotMinutes: row.slotMinutes,
    minBookingMinutes: row.minBookingMinutes,
    maxBookingMinutes: row.maxBookingMinutes,
    bufferMinutes: row.bufferMinutes,
    advanceBookingDays: row.advanceBookingDays,
    cancellationDeadlineHours: row.cancellationDeadlineHours,
    cancellationFee: BigInt(row.cancellationFee),
    allowedMembershipTypes: row.allowedMembershipTypes,
    allowsReciprocalVisitors: row.allowsReciprocalVisitors,
    ...(row.maxOpenBookingsPerMember === null
      ? {}
      : { maxOpenBookingsPerMember: row.maxOpenBookingsPerMember }),
    ...(row.maxBookingsPerWeek === null ? {} : { maxBookingsPerWeek: row.maxBookingsPerWeek }),
    amenities: row.amenities,
    location: row.location ?? '',
    images: row.images,
    requiresApproval: row.requiresApproval,
    createdAt: timestampFromDate(row.createdAt),
    updatedAt: timestampFromDate(row.updatedAt),
  });
}

function closureMessage(row: ClosureRow): Closure {
  return create(ClosureSchema, {
    id: row.id,
    facilityId: row.facilityId,
    kind: row.kind,
    startsAt: timestampFromDate(row.startsAt),
    endsAt: timestampFromDate(row.endsAt),
    reason: row.reason,
  });
}
