import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Principal } from '@clubland/authz';
import { type CallerContext, CallerContextSchema } from '@clubland/contract/member/v1/caller';
import {
  type Member,
  MemberOrder,
  type MemberPreferencesPatchSchema,
  type MemberService,
  MemberStatus,
  type StatusChange,
} from '@clubland/contract/member/v1/members';
import { isClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import { optionalIso } from './timestamps.ts';

/**
 * Members: GraphQL in, MemberService RPC out. The caller travels as a CallerContext built from the
 * verified token; the member service authorises every call again (the port is internal only).
 */

type MemberClient = Client<typeof MemberService>;
interface Context {
  caller: Caller;
}

/** Built once per principal (the token verifier hands the same frozen principal to every request
 *  bearing the same token) and frozen: in-process calls share messages by reference, and the
 *  member service remembers what it read from one (packages/authz/src/caller-principal.ts). */
const callerContexts = new WeakMap<Principal, CallerContext>();

/** The principal as the member service's RPCs take it. */
export function callerContextOf(principal: Principal): CallerContext {
  let caller = callerContexts.get(principal);
  if (caller === undefined) {
    caller = buildCallerContext(principal);
    callerContexts.set(principal, caller);
  }
  return caller;
}

function buildCallerContext(principal: Principal): CallerContext {
  const caller = create(CallerContextSchema, {
    userId: principal.userId,
    sessionId: principal.sessionId ?? '',
    homeClubId: principal.homeClubId ?? '',
    grants: principal.grants.map((grant) => ({ role: grant.role, clubId: grant.clubId ?? '' })),
    source: principal.source,
  });
  for (const grant of caller.grants) Object.freeze(grant);
  Object.freeze(caller.grants);
  return Object.freeze(caller);
}

async function callerOf(context: Context): Promise<CallerContext> {
  return callerContextOf(await context.caller.requirePrincipal());
}

export interface PaginationArg {
  page?: number | null;
  pageSize?: number | null;
  limit?: number | null;
  offset?: number | null;
  after?: string | null;
}

/** The client's page/pageSize/limit/offset as one page number and size. */
export function pagingOf(pagination: PaginationArg | null | undefined): { page: number; pageSize: number } {
  const pageSize = pagination?.limit ?? pagination?.pageSize ?? 10;
  const page =
    pagination?.offset != null && pageSize > 0
      ? Math.floor(pagination.offset / pageSize) + 1
      : (pagination?.page ?? 1);
  return { page, pageSize };
}

export function pageInfoOf(
  page: number,
  pageSize: number,
  total: number,
  hasNextPage: boolean,
  endCursor: string | null = null,
) {
  return {
    page,
    pageSize,
    total,
    totalCount: total,
    totalPages: pageSize > 0 ? Math.ceil(total / pageSize) : 0,
    hasNextPage,
    hasPrevPage: page > 1,
    endCursor,
  };
}

const statusNames: Record<MemberStatus, string | null> = {
  [MemberStatus.UNSPECIFIED]: null,
  [MemberStatus.PENDING]: 'PENDING',
  [MemberStatus.ACTIVE]: 'ACTIVE',
  [MemberStatus.SUSPENDED]: 'SUSPENDED',
  [MemberStatus.EXPIRED]: 'EXPIRED',
  [MemberStatus.INACTIVE]: 'INACTIVE',
};
const statusValue = (name: string | null | undefined): MemberStatus =>
  name
    ? (MemberStatus[name as keyof typeof MemberStatus] ?? MemberStatus.UNSPECIFIED)
    : MemberStatus.UNSPECIFIED;

const timestampOf = (value: Date | null | undefined) => (value ? timestampFromDate(value) : undefined);
const dayOf = (value: Date | null | undefined) => (value ? value.toISOString().slice(0, 10) : undefined);

/** A member as the member service answers it: the parent of every `Member` resolver. */
export type MemberModel = ReturnType<typeof toMember>;

/** Output guard: exactly the fields the SDL declares. */
export function toMember(member: Member) {
  return {
    id: member.id,
    clubId: member.clubId,
    memberNumber: member.memberNumber,
    userId: member.userId || null,
    firstName: member.firstName,
    lastName: member.lastName,
    email: member.email,
    phone: member.phone || null,
    dateOfBirth: member.dateOfBirth ? `${member.dateOfBirth}T00:00:00.000Z` : null,
    address: member.address ?? null,
    emergencyContact: member.emergencyContact
      ? { ...member.emergencyContact, email: member.emergencyContact.email || null }
      : null,
    membershipType: member.membershipType,
    status: statusNames[member.status],
    joinedDate: optionalIso(member.joinedAt),
    expiryDate: optionalIso(member.expiresAt),
    preferences: member.preferences
      ? { ...member.preferences, preferredLanguage: member.preferences.preferredLanguage || null }
      : null,
    notes: member.notes || null,
    createdAt: optionalIso(member.createdAt),
    updatedAt: optionalIso(member.updatedAt),
    erasedAt: optionalIso(member.erasedAt),
    blockchainIdentity: { did: member.ledgerIdentity, walletAddress: null, verified: false },
  };
}

function toStatusChange(change: StatusChange) {
  return {
    id: change.id,
    memberId: change.memberId,
    fromStatus: statusNames[change.fromStatus],
    toStatus: statusNames[change.toStatus],
    reason: change.reason,
    changedBy: change.changedBy,
    changedAt: optionalIso(change.changedAt),
  };
}

interface PreferencesArg {
  receiveNewsletter?: boolean | null;
  receivePromotions?: boolean | null;
  allowDataSharing?: boolean | null;
  preferredLanguage?: string | null;
  dietaryRestrictions?: string[] | null;
  interests?: string[] | null;
}

function preferencesPatch(
  input: PreferencesArg | null | undefined,
): MessageInitShape<typeof MemberPreferencesPatchSchema> | undefined {
  if (!input) return undefined;
  return {
    receiveNewsletter: input.receiveNewsletter ?? undefined,
    receivePromotions: input.receivePromotions ?? undefined,
    allowDataSharing: input.allowDataSharing ?? undefined,
    preferredLanguage: input.preferredLanguage ?? undefined,
    dietaryRestrictions: input.dietaryRestrictions ? { values: input.dietaryRestrictions } : undefined,
    interests: input.interests ? { values: input.interests } : undefined,
  };
}

interface EmergencyContactArg {
  name: string;
  relationship: string;
  phone: string;
  email?: string | null;
}
type AddressArg = { street: string; city: string; state: string; postalCode: string; country: string };

interface MemberFieldsArg {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  dateOfBirth?: Date | null;
  address?: AddressArg | null;
  emergencyContact?: EmergencyContactArg | null;
  membershipType?: string | null;
  expiryDate?: Date | null;
  preferences?: PreferencesArg | null;
  notes?: string | null;
}

const emergencyContactOf = (contact: EmergencyContactArg | null | undefined) =>
  contact ? { ...contact, email: contact.email ?? '' } : undefined;

/** NOT_FOUND is null where the SDL types the answer as nullable. */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isClubError(error) && error.code === 'entity.not_found') return null;
    throw error;
  }
}

export function memberResolvers(clients: { members: MemberClient }) {
  const { members } = clients;

  async function transition(
    context: Context,
    id: string,
    status: MemberStatus,
    reason: string,
    clubId?: string | null,
    expiry?: Date,
  ) {
    const { member } = await members.changeMemberStatus({
      caller: await callerOf(context),
      clubId: clubId ?? '',
      id,
      status,
      reason,
      expiresAt: timestampOf(expiry),
    });
    return toMember(member!);
  }

  return {
    Query: {
      async members(
        _root: unknown,
        args: {
          pagination?: PaginationArg | null;
          status?: string | null;
          search?: string | null;
          membershipType?: string | null;
          orderBy?: string | null;
          clubId?: string | null;
        },
        context: Context,
      ) {
        const { page, pageSize } = pagingOf(args.pagination);
        const result = await members.listMembers({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          status: statusValue(args.status),
          membershipType: args.membershipType ?? '',
          search: args.search ?? '',
          pageSize,
          page,
          after: args.pagination?.after ?? '',
          order: args.orderBy === 'LAST_NAME' ? MemberOrder.LAST_NAME : MemberOrder.CREATED,
        });
        return {
          nodes: result.members.map(toMember),
          pageInfo: {
            ...pageInfoOf(
              result.page,
              result.pageSize,
              result.totalCount,
              result.hasNextPage,
              result.endCursor || null,
            ),
            hasPrevPage: result.hasPreviousPage,
          },
        };
      },
      async member(_root: unknown, args: { id: string; clubId?: string | null }, context: Context) {
        const caller = await callerOf(context);
        const found = await orNull(members.getMember({ caller, clubId: args.clubId ?? '', id: args.id }));
        return found?.member ? toMember(found.member) : null;
      },
      async memberByNumber(
        _root: unknown,
        args: { memberNumber: string; clubId?: string | null },
        context: Context,
      ) {
        const caller = await callerOf(context);
        const found = await orNull(
          members.getMemberByNumber({ caller, clubId: args.clubId ?? '', memberNumber: args.memberNumber }),
        );
        return found?.member ? toMember(found.member) : null;
      },
      async myMembership(_root: unknown, _args: unknown, context: Context) {
        const principal = await context.caller.requirePrincipal();
        const { members: own } = await members.listMyMemberships({ caller: callerContextOf(principal) });
        const home = own.find((member) => member.clubId === principal.homeClubId);
        return home ? toMember(home) : null;
      },
      async myMemberships(_root: unknown, _args: unknown, context: Context) {
        const { members: own } = await members.listMyMemberships({ caller: await callerOf(context) });
        return own.map(toMember);
      },
      async memberStatusHistory(
        _root: unknown,
        args: { memberId: string; clubId?: string | null },
        context: Context,
      ) {
        const { changes } = await members.listStatusChanges({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          memberId: args.memberId,
        });
        return changes.map(toStatusChange);
      },
      async membershipCardKeys(_root: unknown, args: { clubId: string }) {
        const { jwks } = await members.getCardSigningKeys({ clubId: args.clubId });
        return jwks.map((jwk) => JSON.parse(jwk) as unknown);
      },
    },
    Mutation: {
      async createMember(
        _root: unknown,
        {
          input,
        }: {
          input: MemberFieldsArg & { clubId?: string | null; memberNumber: string; userId?: string | null };
        },
        context: Context,
      ) {
        const { member } = await members.createMember({
          caller: await callerOf(context),
          clubId: input.clubId ?? '',
          memberNumber: input.memberNumber,
          userId: input.userId ?? '',
          firstName: input.firstName ?? '',
          lastName: input.lastName ?? '',
          email: input.email ?? '',
          phone: input.phone ?? '',
          dateOfBirth: dayOf(input.dateOfBirth) ?? '',
          address: input.address ?? undefined,
          emergencyContact: emergencyContactOf(input.emergencyContact),
          membershipType: input.membershipType ?? '',
          expiresAt: timestampOf(input.expiryDate),
          preferences: preferencesPatch(input.preferences),
          notes: input.notes ?? '',
        });
        return toMember(member!);
      },
      async updateMember(
        _root: unknown,
        args: { id: string; input: MemberFieldsArg; clubId?: string | null },
        context: Context,
      ) {
        const { input } = args;
        const { member } = await members.updateMember({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          id: args.id,
          firstName: input.firstName ?? undefined,
          lastName: input.lastName ?? undefined,
          email: input.email ?? undefined,
          phone: input.phone ?? undefined,
          dateOfBirth: dayOf(input.dateOfBirth),
          address: input.address ?? undefined,
          emergencyContact: emergencyContactOf(input.emergencyContact),
          membershipType: input.membershipType ?? undefined,
          expiresAt: timestampOf(input.expiryDate),
          preferences: preferencesPatch(input.preferences),
          notes: input.notes ?? undefined,
        });
        return toMember(member!);
      },
      changeMemberStatus(
        _root: unknown,
        args: { id: string; status: string; reason: string; clubId?: string | null },
        context: Context,
      ) {
        return transition(context, args.id, statusValue(args.status), args.reason, args.clubId);
      },
      activateMember(
        _root: unknown,
        args: { id: string; reason?: string | null; clubId?: string | null },
        context: Context,
      ) {
        return transition(context, args.id, MemberStatus.ACTIVE, args.reason || 'activated', args.clubId);
      },
      suspendMember(
        _root: unknown,
        args: { id: string; reason: string; clubId?: string | null },
        context: Context,
      ) {
        return transition(context, args.id, MemberStatus.SUSPENDED, args.reason, args.clubId);
      },
      reactivateMember(
        _root: unknown,
        args: { id: string; reason?: string | null; clubId?: string | null },
        context: Context,
      ) {
        return transition(context, args.id, MemberStatus.ACTIVE, args.reason || 'reinstated', args.clubId);
      },
      async renewMembership(
        _root: unknown,
        args: { id: string; expiryDate: Date; clubId?: string | null },
        context: Context,
      ) {
        const caller = await callerOf(context);
        const { member } = await members.getMember({ caller, clubId: args.clubId ?? '', id: args.id });
        if (member?.status === MemberStatus.EXPIRED) {
          return transition(
            context,
            args.id,
            MemberStatus.ACTIVE,
            'membership renewed',
            args.clubId,
            args.expiryDate,
          );
        }
        const renewed = await members.updateMember({
          caller,
          clubId: args.clubId ?? '',
          id: args.id,
          expiresAt: timestampOf(args.expiryDate),
        });
        return toMember(renewed.member!);
      },
      async deleteMember(
        _root: unknown,
        args: { id: string; reason?: string | null; clubId?: string | null },
        context: Context,
      ) {
        await transition(
          context,
          args.id,
          MemberStatus.INACTIVE,
          args.reason || 'membership ended',
          args.clubId,
        );
        return true;
      },
      async issueMembershipCard(
        _root: unknown,
        args: { memberId: string; clubId?: string | null },
        context: Context,
      ) {
        const card = await members.issueMembershipCard({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          memberId: args.memberId,
        });
        return { token: card.token, expiresAt: optionalIso(card.expiresAt), keyId: card.keyId };
      },
      async verifyMembershipCard(_root: unknown, args: { token: string }, context: Context) {
        const check = await members.verifyMembershipCard({
          caller: await callerOf(context),
          token: args.token,
        });
        return {
          valid: check.valid,
          reason: check.reason || null,
          memberId: check.memberId || null,
          clubId: check.clubId || null,
          validUntil: optionalIso(check.validUntil),
        };
      },
      async eraseMemberData(
        _root: unknown,
        args: { memberId: string; reason: string; clubId?: string | null },
        context: Context,
      ) {
        const { member } = await members.eraseMember({
          caller: await callerOf(context),
          clubId: args.clubId ?? '',
          memberId: args.memberId,
          reason: args.reason,
        });
        return toMember(member!);
      },
    },
  };
}
