import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { principalFromCaller } from '@clubland/authz';
import {
  type Club,
  ClubRegistryService,
  ClubSchema,
  ClubStatus,
  type ClubStatusChange,
  ClubStatusChangeSchema,
} from '@clubland/contract/member/v1';
import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { invalidInput, isUuid, requireUuid } from '@clubland/errors';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { createClub } from './app/create-club.ts';
import type { MemberDeps, UseCaseContext } from './app/deps.ts';
import { getClub, getClubBySlug, getClubs } from './app/get-clubs.ts';
import { setClubStatus } from './app/set-club-status.ts';
import { updateClub } from './app/update-club.ts';
import type { ClubStatus as DomainClubStatus } from './domain/club.ts';

import { registerDirectoryRpc } from './rpc-directory.ts';
import { registerMembersRpc } from './rpc-members.ts';
import { addressFromMessage, clubStatusFromMessage } from './rpc-messages.ts';
import type { ClubRow } from './store/club-queries.ts';
import type { ClubStatusChangeRow } from './store/club-status-queries.ts';

/** Maps protobuf messages to use cases and back. Thin on purpose: no rules live here. */

const MAX_BATCH = 500;

export function registerMemberRpc(
  router: ConnectRouter,
  deps: MemberDeps,
  world: Pick<UseCaseContext, 'clock' | 'newId'>,
): void {
  const contextOf = (handler: HandlerContext, caller?: CallerContext): UseCaseContext => ({
    ...world,
    principal: principalFromCaller(caller),
    correlationId: handler.requestHeader.get('x-correlation-id'),
  });
  registerMembersRpc(router, deps, contextOf);
  registerDirectoryRpc(router, deps, contextOf);

  router.service(ClubRegistryService, {
    async createClub(request, handler) {
      const club = await createClub(deps, contextOf(handler, request.caller), {
        name: request.name,
        slug: request.slug,
        description: request.description,
        location: request.location,
        website: request.website,
        profile: {
          address: addressFromMessage(request.address),
          latitude: request.latitude,
          longitude: request.longitude,
          timezone: request.timezone || undefined,
          currency: request.currency || undefined,
          contactEmail: request.contactEmail || undefined,
          contactPhone: request.contactPhone || undefined,
        },
      });
      return { club: toMessage(club) };
    },

    async updateClub(request, handler) {
      const club = await updateClub(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.clubId, 'clubId'),
        {
          club: {
            name: request.name,
            slug: request.slug,
            description: request.description,
            location: request.location,
            website: request.website,
          },
          profile: {
            address: addressFromMessage(request.address),
            latitude: request.latitude,
            longitude: request.longitude,
            timezone: request.timezone,
            currency: request.currency,
            contactEmail: request.contactEmail,
            contactPhone: request.contactPhone,
          },
        },
      );
      return { club: toMessage(club) };
    },

    async setClubStatus(request, handler) {
      const status = clubStatusFromMessage[request.status];
      if (!status) throw invalidInput('status', 'status must be ACTIVE, INACTIVE or SUSPENDED');
      const result = await setClubStatus(
        deps,
        contextOf(handler, request.caller),
        requireUuid(request.clubId, 'clubId'),
        { status, reason: request.reason },
      );
      return { club: toMessage(result.club), change: changeToMessage(result.change) };
    },

    async getClub(request) {
      return { club: toMessage(await getClub(deps, requireUuid(request.id, 'id'))) };
    },

    async getClubBySlug(request) {
      if (request.slug.length === 0 || request.slug.length > 63)
        throw invalidInput('slug', 'slug must be 1-63 characters');
      return { club: toMessage(await getClubBySlug(deps, request.slug)) };
    },

    async batchGetClubs(request) {
      if (request.ids.length > MAX_BATCH) throw invalidInput('ids', `at most ${MAX_BATCH} ids per call`);
      const ids = request.ids.filter((id) => isUuid(id));
      return { clubs: (await getClubs(deps, ids)).map(toMessage) };
    },
  });
}

const statuses: Record<DomainClubStatus, ClubStatus> = {
  ACTIVE: ClubStatus.ACTIVE,
  INACTIVE: ClubStatus.INACTIVE,
  SUSPENDED: ClubStatus.SUSPENDED,
};

function changeToMessage(change: ClubStatusChangeRow): ClubStatusChange {
  return create(ClubStatusChangeSchema, {
    id: change.id,
    clubId: change.clubId,
    fromStatus: statuses[change.fromStatus],
    toStatus: statuses[change.toStatus],
    reason: change.reason,
    changedBy: change.changedBy,
    changedAt: timestampFromDate(change.changedAt),
  });
}

/** Output guard: only the fields the contract names leave the service. */
function toMessage(club: ClubRow): Club {
  return create(ClubSchema, {
    id: club.id,
    name: club.name,
    slug: club.slug,
    description: club.description,
    location: club.location,
    website: club.website,
    status: statuses[club.status],
    createdAt: timestampFromDate(club.createdAt),
    updatedAt: timestampFromDate(club.updatedAt),
  });
}
