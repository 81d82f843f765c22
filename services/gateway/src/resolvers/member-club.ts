import type { MemberResolvers } from '../generated/graphql.ts';

/**
 * `Member.club` (gateway.graphql): the member's club from the club registry. From the shared club
 * cache when it has it; otherwise through the request's DataLoader, so a page of members costs one
 * BatchGetClubs whatever its length.
 */
export const memberClubResolvers: Pick<MemberResolvers, 'club'> = {
  club: (member, _args, { loaders }) => loaders.club(member.clubId),
};
