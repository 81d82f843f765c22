import type { CallerContext } from '@clubland/contract/member/v1/caller';
import { ClubDirectoryService, type OpeningHours } from '@clubland/contract/member/v1/directory';
import { invalidInput, isUuid } from '@clubland/errors';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { clubOfCall } from './app/access.ts';
import { clubRelations, myClub, toggleFavouriteClub } from './app/club-relations.ts';
import { listClubReviews, reviewClub } from './app/club-reviews.ts';
import type { MemberDeps, UseCaseContext } from './app/deps.ts';
import { getClubProfiles, searchClubs } from './app/search-clubs.ts';
import { updateClubProfile } from './app/update-club-profile.ts';
import type { OpeningHours as DomainOpeningHours } from './domain/club-profile.ts';
import {
  addressFromMessage,
  clubStatusFromMessage,
  profileToMessage,
  reviewToMessage,
} from './rpc-messages.ts';

/** ClubDirectoryService: protobuf in, use case, protobuf out. */

const MAX_BATCH = 500;

function hours(values: OpeningHours[] | undefined): DomainOpeningHours[] | undefined {
  return values?.map((value) => ({ day: value.day, opens: value.opens, closes: value.closes }));
}

export function registerDirectoryRpc(
  router: ConnectRouter,
  deps: MemberDeps,
  contextOf: (handler: HandlerContext, caller: CallerContext | undefined) => UseCaseContext,
): void {
  router.service(ClubDirectoryService, {
    async getClubProfiles(request) {
      if (request.ids.length > MAX_BATCH) throw invalidInput('ids', `at most ${MAX_BATCH} ids per call`);
      const ids = request.ids.filter((id) => isUuid(id));
      return { clubs: (await getClubProfiles(deps, ids)).map(profileToMessage) };
    },

    async listClubs(request) {
      const filter = request.filter;
      const result = await searchClubs(
        deps,
        {
          status: filter ? clubStatusFromMessage[filter.status] : null,
          text: filter?.search ?? '',
          isFeatured: filter?.isFeatured ?? null,
          city: filter?.city ?? '',
          country: filter?.country ?? '',
          amenities: filter?.amenities ?? [],
          near: null,
          radiusKm: 0,
        },
        { page: request.page, pageSize: request.pageSize },
      );
      return {
        clubs: result.rows.map(profileToMessage),
        totalCount: result.total,
        page: result.page,
        pageSize: result.pageSize,
      };
    },

    async searchClubs(request) {
      const result = await searchClubs(
        deps,
        {
          // The directory search shows clubs open to visitors.
          status: 'ACTIVE',
          text: request.query,
          isFeatured: null,
          city: request.city,
          country: request.country,
          amenities: request.amenities,
          near: request.near ? { latitude: request.near.latitude, longitude: request.near.longitude } : null,
          radiusKm: request.radiusKm,
        },
        { page: request.page, pageSize: request.pageSize },
      );
      return {
        hits: result.rows.map((row) => ({
          club: profileToMessage(row),
          distanceKm: row.distanceKm ?? undefined,
          relevanceScore: row.relevance,
        })),
        totalCount: result.total,
        page: result.page,
        pageSize: result.pageSize,
      };
    },

    async updateClubProfile(request, handler) {
      const context = contextOf(handler, request.caller);
      const club = await updateClubProfile(deps, context, clubOfCall(context.principal, request.clubId), {
        description: request.description,
        location: request.location,
        website: request.website,
        address: addressFromMessage(request.address),
        latitude: request.latitude,
        longitude: request.longitude,
        contactEmail: request.contactEmail,
        contactPhone: request.contactPhone,
        logoUrl: request.logoUrl,
        amenities: request.amenities?.values,
        operatingHours: hours(request.operatingHours?.values),
        images: request.images?.values,
        settings: request.settings && { ...request.settings },
        timezone: request.timezone,
        currency: request.currency,
        isFeatured: request.isFeatured,
      });
      return { club: profileToMessage(club) };
    },

    async listClubReviews(request) {
      const result = await listClubReviews(deps, request.clubId, {
        page: request.page,
        pageSize: request.pageSize,
      });
      return {
        reviews: result.rows.map(reviewToMessage),
        totalCount: result.total,
        averageRating: result.average,
        page: result.page,
        pageSize: result.pageSize,
      };
    },

    async reviewClub(request, handler) {
      const review = await reviewClub(deps, contextOf(handler, request.caller), request.clubId, {
        rating: request.rating,
        comment: request.comment,
        author: request.author,
      });
      return { review: reviewToMessage(review) };
    },

    async toggleFavouriteClub(request, handler) {
      const result = await toggleFavouriteClub(deps, contextOf(handler, request.caller), request.clubId);
      return { favourited: result.favourited, club: profileToMessage(result.club) };
    },

    async getClubRelations(request, handler) {
      if (request.clubIds.length > MAX_BATCH)
        throw invalidInput('clubIds', `at most ${MAX_BATCH} ids per call`);
      return { relations: await clubRelations(deps, contextOf(handler, request.caller), request.clubIds) };
    },

    async getMyClub(request, handler) {
      return { club: profileToMessage(await myClub(deps, contextOf(handler, request.caller))) };
    },
  });
}
