import type { MemberResolvers } from '../generated/graphql.ts';

/**
 * `Member.club` (gateway.graphql): the member's club from the club registry. Through the request's
 * DataLoader, a page of members costs one BatchGetClubs whatever its length.
 */
export const memberClubResolvers: Pick<MemberResolvers, 'club'> = {
  club: (member, _args, { loaders }) => loaders.clubs.load(member.clubId),
};
