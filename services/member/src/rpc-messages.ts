import { create } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ClubStatus } from '@clubland/contract/member/v1';
import {
  type ClubProfile,
  ClubProfileSchema,
  type ClubReview,
  ClubReviewSchema,
} from '@clubland/contract/member/v1/directory';
import {
  type Address as AddressMessage,
  AddressSchema,
  EmergencyContactSchema,
  type Member,
  MemberPreferencesSchema,
  MemberSchema,
  MemberStatus,
  type StatusChange,
  StatusChangeSchema,
} from '@clubland/contract/member/v1/members';
import type { ClubStatus as DomainClubStatus } from './domain/club.ts';
import type { Address, MemberStatus as DomainMemberStatus } from './domain/member.ts';
import type { ClubProfileRow } from './store/club-profile-queries.ts';
import type { StatusChangeRow } from './store/member-history-queries.ts';
import type { MemberRow } from './store/member-queries.ts';
import type { ReviewRow } from './store/review-queries.ts';

/** Rows to protobuf messages and back. Output guards: only the fields the contract names leave. */

export const memberStatusToMessage: Record<DomainMemberStatus, MemberStatus> = {
  PENDING: MemberStatus.PENDING,
  ACTIVE: MemberStatus.ACTIVE,
  SUSPENDED: MemberStatus.SUSPENDED,
  EXPIRED: MemberStatus.EXPIRED,
  INACTIVE: MemberStatus.INACTIVE,
};

export const memberStatusFromMessage: Record<MemberStatus, DomainMemberStatus | null> = {
  [MemberStatus.UNSPECIFIED]: null,
  [MemberStatus.PENDING]: 'PENDING',
  [MemberStatus.ACTIVE]: 'ACTIVE',
  [MemberStatus.SUSPENDED]: 'SUSPENDED',
  [MemberStatus.EXPIRED]: 'EXPIRED',
  [MemberStatus.INACTIVE]: 'INACTIVE',
};

export const clubStatusToMessage: Record<DomainClubStatus, ClubStatus> = {
  ACTIVE: ClubStatus.ACTIVE,
  INACTIVE: ClubStatus.INACTIVE,
  SUSPENDED: ClubStatus.SUSPENDED,
};

export const clubStatusFromMessage: Record<ClubStatus, DomainClubStatus | null> = {
  [ClubStatus.UNSPECIFIED]: null,
  [ClubStatus.ACTIVE]: 'ACTIVE',
  [ClubStatus.INACTIVE]: 'INACTIVE',
  [ClubStatus.SUSPENDED]: 'SUSPENDED',
};

const timestamp = (date: Date | null): Timestamp | undefined => (date ? timestampFromDate(date) : undefined);
export const dateOf = (value: Timestamp | undefined): Date | undefined =>
  value ? timestampDate(value) : undefined;

export function addressFromMessage(address: AddressMessage | undefined): Address | undefined {
  return (
    address && {
      street: address.street,
      city: address.city,
      state: address.state,
      postalCode: address.postalCode,
      country: address.country,
    }
  );
}

/**
 * A member as the contract's message. Written as the message itself, not through create(): a
 * protobuf-es message is a plain object, the `Member` type makes the compiler insist on every
 * field (a field added to the contract fails the build here), and create() walking the schema
 * cost ~1 µs a member, a fifth of a members page's conversions. Nested messages go through
 * create(), which keeps only the fields their schemas name.
 */
export function memberToMessage(member: MemberRow): Member {
  return {
    $typeName: MemberSchema.typeName,
    id: member.id,
    clubId: member.clubId,
    userId: member.userId ?? '',
    memberNumber: member.memberNumber,
    membershipType: member.membershipType,
    status: memberStatusToMessage[member.status],
    firstName: member.firstName,
    lastName: member.lastName,
    email: member.email ?? '',
    phone: member.phone ?? '',
    dateOfBirth: member.dateOfBirth ?? '',
    address: member.address ? create(AddressSchema, member.address) : undefined,
    emergencyContact: member.emergencyContact
      ? create(EmergencyContactSchema, member.emergencyContact)
      : undefined,
    preferences: create(MemberPreferencesSchema, member.preferences),
    joinedAt: timestamp(member.joinedAt),
    expiresAt: timestamp(member.expiresAt),
    notes: member.notes ?? '',
    ledgerIdentity: member.ledgerIdentity,
    createdAt: timestamp(member.createdAt),
    updatedAt: timestamp(member.updatedAt),
    erasedAt: timestamp(member.erasedAt),
  };
}

export function statusChangeToMessage(change: StatusChangeRow): StatusChange {
  return create(StatusChangeSchema, {
    id: change.id,
    memberId: change.memberId,
    fromStatus: memberStatusToMessage[change.fromStatus],
    toStatus: memberStatusToMessage[change.toStatus],
    reason: change.reason,
    changedBy: change.changedBy,
    changedAt: timestamp(change.changedAt),
  });
}

export function profileToMessage(club: ClubProfileRow): ClubProfile {
  return create(ClubProfileSchema, {
    id: club.id,
    name: club.name,
    slug: club.slug,
    description: club.description,
    location: club.location,
    website: club.website,
    status: clubStatusToMessage[club.status],
    address: club.address ?? undefined,
    latitude: club.latitude ?? undefined,
    longitude: club.longitude ?? undefined,
    contactEmail: club.contactEmail,
    contactPhone: club.contactPhone,
    logoUrl: club.logoUrl,
    amenities: club.amenities,
    operatingHours: club.operatingHours,
    images: club.images,
    settings: club.settings,
    timezone: club.timezone,
    currency: club.currency,
    isFeatured: club.isFeatured,
    averageRating: club.averageRating,
    reviewCount: club.reviewCount,
    createdAt: timestamp(club.createdAt),
    updatedAt: timestamp(club.updatedAt),
  });
}

export function reviewToMessage(review: ReviewRow): ClubReview {
  return create(ClubReviewSchema, {
    id: review.id,
    clubId: review.clubId,
    rating: review.rating,
    comment: review.comment,
    author: review.author,
    createdAt: timestamp(review.createdAt),
  });
}
